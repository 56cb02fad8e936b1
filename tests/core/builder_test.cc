// The builder with a real compiler: prebuilt libraries per variant (how the
// thread-pool lab links its driver), and what a failed build reports.
#include "core/builder.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/build_plan.h"
#include "core/paths.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

BuildOptions TwoJobs() {
  BuildOptions options;
  options.jobs = 2;
  return options;
}

// What ccache counted in `cache` (`ccache --print-stats`: "key\tvalue").
long CcacheStat(const fs::path& cache, const std::string& key) {
  const std::string cmd =
      "CCACHE_DIR=" + cache.string() + " ccache --print-stats";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char line[256];
  long value = -1;
  while (fgets(line, sizeof line, p)) {
    std::string l = line;
    if (l.rfind(key + "\t", 0) == 0) value = std::stol(l.substr(key.size()));
  }
  pclose(p);
  return value;
}

int ExitCodeOf(const fs::path& exe) {
  const int status = std::system(exe.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "builder-test-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    // Libraries are looked up in BinDir(); a private one keeps the real
    // build/bin clean. The launcher still needs ipclab-init from there.
    fs::create_directories(dir_ / "bin");
    fs::create_symlink(BinDir() / "ipclab-init", dir_ / "bin" / "ipclab-init");
    setenv("IPCLAB_BIN_DIR", (dir_ / "bin").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("IPCLAB_BIN_DIR");
    fs::remove_all(dir_);
  }

  // bin/lib/libanswer[SUFFIX].a, whose answer() returns `value`.
  void MakeLibrary(const std::string& suffix, int value) {
    const fs::path src = dir_ / ("answer" + suffix + ".cpp");
    Write(src, "int answer() { return " + std::to_string(value) + "; }\n");
    const fs::path obj = dir_ / ("answer" + suffix + ".o");
    const fs::path lib = dir_ / "bin" / "lib" / ("libanswer" + suffix + ".a");
    fs::create_directories(lib.parent_path());
    ASSERT_EQ(std::system(("g++ -c " + src.string() + " -o " + obj.string() +
                           " && ar rcs " + lib.string() + " " + obj.string())
                              .c_str()),
              0);
  }

  BuildSpec Spec() {
    BuildSpec build;
    build.output = "prog";
    build.flags = {"-std=c++20"};
    return build;
  }

  // sub/main.cpp returns answer() from lib/libanswer.a, with a variant
  // "alt" (linked with lib/libanswer-alt.a).
  BuildSpec LibraryProgram() {
    Write(dir_ / "sub" / "main.cpp",
          "int answer();\nint main() { return answer(); }\n");
    BuildSpec build = Spec();
    build.libraries = {"lib/libanswer.a"};
    build.variants = {{"alt", {"-O1"}}};
    return build;
  }

  fs::path dir_;
};

TEST_F(BuilderTest, EachVariantLinksItsOwnLibrary) {
  MakeLibrary("", 3);
  MakeLibrary("-alt", 4);
  BuildSpec build = LibraryProgram();

  auto r = BuildSubmission(build, dir_ / "sub", dir_ / "out", TwoJobs());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->ok) << r->problem << "\n" << r->output;
  EXPECT_EQ(ExitCodeOf(r->executable), 3);
  ASSERT_EQ(r->variants.count("alt"), 1u);
  EXPECT_EQ(ExitCodeOf(r->variants.at("alt")), 4);
  // The command shown to students names the plain library.
  EXPECT_NE(r->command.find("libanswer.a"), std::string::npos) << r->command;
}

TEST_F(BuilderTest, MissingLibraryIsTheGradersError) {
  MakeLibrary("", 3);  // but not -alt
  BuildSpec build = LibraryProgram();

  auto r = BuildSubmission(build, dir_ / "sub", dir_ / "out", TwoJobs());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("libanswer-alt.a"), std::string::npos)
      << r.error().message;
}

TEST_F(BuilderTest, CompileErrorIsTheStudentsProblemWithTheMessages) {
  Write(dir_ / "sub" / "main.cpp", "int main() { return missing_name; }\n");
  auto r = BuildSubmission(Spec(), dir_ / "sub", dir_ / "out", TwoJobs());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->ok);
  EXPECT_NE(r->problem.find("compiler reported errors"), std::string::npos)
      << r->problem;
  EXPECT_NE(r->output.find("missing_name"), std::string::npos) << r->output;
}

TEST_F(BuilderTest, PlanHasOneCompilePerSourceAndVariantThenOneLinkEach) {
  MakeLibrary("", 3);
  MakeLibrary("-alt", 4);
  BuildSpec build = LibraryProgram();
  Write(dir_ / "sub" / "util.cpp", "int util() { return 0; }\n");
  const auto own = FindSources(build, dir_ / "sub");
  ASSERT_EQ(own, (std::vector<std::string>{"main.cpp", "util.cpp"}));

  auto plan = PlanBuild(build, dir_ / "sub", dir_ / "out", own);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->compiles.size(), 4u);  // 2 sources x (plain, alt).
  EXPECT_EQ(plan->compiles[0], (std::vector<std::string>{
                                   "g++", "-std=c++20", "-c", "main.cpp", "-o",
                                   (dir_ / "out" / "0-main.cpp.o").string()}));
  EXPECT_EQ(plan->compiles[3].back(),
            (dir_ / "out" / "1-util.cpp-alt.o").string());
  ASSERT_EQ(plan->links.size(), 2u);
  EXPECT_EQ(plan->links[1].back(),
            (dir_ / "bin" / "lib" / "libanswer-alt.a").string());
  EXPECT_EQ(plan->executable, dir_ / "out" / "prog");
  EXPECT_EQ(plan->variants.at("alt"), dir_ / "out" / "prog-alt");
}

// Two copies of one submission, in different directories (as a mutant
// suite or a class's resubmissions are): the second compiles nothing.
TEST_F(BuilderTest, BuildCacheSharesCompilesBetweenCopiesInOtherDirectories) {
  for (const char* copy : {"one", "two"}) {
    Write(dir_ / copy / "sub" / "main.cpp",
          "#include \"value.hpp\"\nint main() { return kValue; }\n");
    Write(dir_ / copy / "sub" / "value.hpp", "constexpr int kValue = 5;\n");
  }
  BuildOptions options = TwoJobs();
  options.cache_dir = dir_ / "cache";
  BuildSpec build = Spec();
  build.flags.push_back("-g");  // Debug info: the directory is not hashed.
  for (const char* copy : {"one", "two"}) {
    auto r = BuildSubmission(build, dir_ / copy / "sub", dir_ / copy / "out",
                             options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r->ok) << r->problem << "\n" << r->output;
    EXPECT_EQ(ExitCodeOf(r->executable), 5);
    // The command shown to students is the plain compiler's.
    EXPECT_EQ(r->command.find("ccache"), std::string::npos) << r->command;
  }
  EXPECT_EQ(CcacheStat(dir_ / "cache", "cache_miss"), 1);
  EXPECT_EQ(CcacheStat(dir_ / "cache", "direct_cache_hit"), 1);
}

TEST(DescribeBuildTest, SaysWhichFilesTheExactLineAndATypeableOne) {
  BuildSpec build;
  build.sources = {"*.cpp", "*.cc"};
  build.flags = {"-std=c++20", "-O2", "-pthread"};
  build.output = "psh";
  const std::string text = DescribeBuild(build);
  EXPECT_NE(text.find("every file matching *.cpp or *.cc in your folder"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  g++ -std=c++20 -O2 -pthread -o psh YOUR_FILES\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  g++ -std=c++20 -O2 -pthread -o psh *.cpp\n"),
            std::string::npos)
      << text;
}

TEST(DescribeBuildTest, NamesTheGradersFilesAndEachVariant) {
  BuildSpec build;
  build.flags = {"-O2"};
  build.output = "pool-driver";
  build.extra_sources = {"graders/threadpool/bridge/student_pool.cpp"};
  build.libraries = {"lib/libipclab-pool-driver.a"};
  build.variants = {{"tsan", {"-fsanitize=thread", "-O1"}}};
  const std::string text = DescribeBuild(build);
  EXPECT_NE(text.find("g++ -O2 -I YOUR_FOLDER -o pool-driver YOUR_FILES "
                      "student_pool.cpp lib/libipclab-pool-driver.a"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("as pool-driver-tsan, with -fsanitize=thread -O1"),
            std::string::npos)
      << text;
  // No typeable line: the driver is the grader's, not in the folder.
  EXPECT_EQ(text.find("type:"), std::string::npos) << text;
}

}  // namespace
}  // namespace ipclab
