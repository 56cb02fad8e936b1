// The `ipclab` binary end to end: exit codes, containment of hostile
// "shells", build failures, and report files. Hostile programs are tiny
// shell scripts passed with --binary against a small lab with short timeouts.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "core/launcher.h"
#include "core/paths.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

// The console wraps prose (hints) at 100 columns: joins the lines again so
// a phrase can be found wherever the wrap fell.
std::string Unwrapped(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class CliTest : public ScratchDirTest {
 protected:
  LaunchResult Ipclab(std::vector<std::string> args) {
    return RunIpclab(args, std::chrono::seconds(120));
  }

  // A two-test lab comparing with the real reference. `timeout` in seconds:
  // short where a test waits for it to run out, long where the program must be
  // stopped by something else first (the output or process cap), however slowly
  // a loaded machine gets there.
  fs::path SmallLab(int timeout = 1) {
    return Write("small/lab.yaml",
                 "lab: small\n"
                 "reference: " +
                     (BinDir() / "reference/pipeline/psh").string() +
                     "\n"
                     "build: {output: psh, flags: [-std=c++20]}\n"
                     "defaults: {timeout: " +
                     std::to_string(timeout) +
                     "}\n"
                     "tests:\n"
                     "  - {id: echo, title: Echo, kind: psh-script, script: "
                     "\"echo hi\\n\"}\n"
                     "  - {id: pipe, title: Pipe, kind: psh-script, script: "
                     "\"echo a | cat\\n\"}\n");
  }

  static int Code(const LaunchResult& r) { return r.status.ShellStatus(); }
};

TEST_F(CliTest, ReferenceScoresFullMarksAndExitsZero) {
  auto r = Ipclab({"grade", "pipeline", "--binary",
                   (BinDir() / "reference/pipeline/psh").string(), "--only",
                   "two-stages"});
  EXPECT_EQ(Code(r), 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Score: 2/2"), std::string::npos) << r.out;
}

TEST_F(CliTest, FailingProgramExitsOne) {
  auto r = Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true"});
  EXPECT_EQ(Code(r), 1) << r.out << r.err;
  EXPECT_NE(r.out.find("Score: 0/2"), std::string::npos) << r.out;
}

TEST_F(CliTest, UsageAndMissingThingsExitTwo) {
  EXPECT_EQ(Code(Ipclab({})), 2);
  EXPECT_EQ(Code(Ipclab({"grade", "pipeline"})), 2);
  EXPECT_EQ(Code(Ipclab({"grade", "no-such-lab", "--binary", "/bin/true"})), 2);
  auto r = Ipclab({"grade", "pipeline", "--binary", "/no/such/psh"});
  EXPECT_EQ(Code(r), 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_EQ(Code(Ipclab(
                {"grade", "pipeline", "--jobs", "0", "--binary", "/bin/true"})),
            2);
}

TEST_F(CliTest, MalformedSpecNamesFileLineAndColumnAndExitsTwo) {
  fs::path spec = Write("bad/lab.yaml",
                        "lab: bad\nreference: x\ntests:\n"
                        "  - id: one\n    title: One\n    kind: psh-script\n"
                        "    script: echo\n    timeout: soon\n");
  auto r = Ipclab({"grade", spec.string(), "--binary", "/bin/true"});
  EXPECT_EQ(Code(r), 2);
  EXPECT_EQ(r.err, spec.string() +
                       ":8:14: 'timeout' must be a number of seconds, not "
                       "'soon'\n");
}

TEST_F(CliTest, HostileProgramsAreContainedAndGradingCarriesOn) {
  struct Case {
    std::string script, mark;
    int timeout;
  } cases[] = {
      {"#!/bin/sh\nexec sleep 1000\n", "TIMEOUT", 1},
      {"#!/bin/sh\nexec yes flood\n", "OUTPUT", 60},
      {"#!/bin/sh\nkill -SEGV $$\n", "CRASH", 60},
      {"#!/bin/sh\nwhile :; do sleep 1000 & done\n", "FAIL", 60},
  };
  for (const auto& c : cases) {
    fs::path lab = SmallLab(c.timeout);
    fs::path psh = Write("hostile", c.script, true);
    auto r = Ipclab(
        {"grade", lab.string(), "--binary", psh.string(), "--jobs", "2"});
    EXPECT_EQ(Code(r), 1) << c.script << r.out << r.err;
    // Both tests ran and were judged, each with the expected mark.
    std::size_t marks = 0;
    // List lines only: the blocks after the list read "MARK id: ...".
    for (std::size_t at = r.out.find("\n" + c.mark + "  ");
         at != std::string::npos;
         at = r.out.find("\n" + c.mark + "  ", at + 1)) {
      ++marks;
    }
    EXPECT_EQ(marks, 2u) << c.script << r.out;
    EXPECT_NE(r.out.find("Score: 0/2"), std::string::npos);
  }
}

TEST_F(CliTest, SubmissionThatDoesNotBuildIsAFailedBuildTest) {
  Write("broken/psh.cpp", "int main() { return undeclared; }\n");
  fs::path json = dir_ / "out/results.json";
  fs::path xml = dir_ / "out/junit.xml";
  auto r = Ipclab({"grade", SmallLab().string(), "--submission",
                   (dir_ / "broken").string(), "--gradescope", json.string(),
                   "--junit", xml.string()});
  EXPECT_EQ(Code(r), 1) << r.out << r.err;
  EXPECT_NE(r.out.find("undeclared"), std::string::npos) << r.out;
  // One block (the build's), one line for the tests not run, and those
  // counted as not run, not as failed.
  EXPECT_EQ(r.out.find("SKIP"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nFAIL build: The submission does not build"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n\n2 tests not run: the build failed.\n\n0 passed, "
                       "1 failed, 2 not run\nScore: 0/2\n"),
            std::string::npos)
      << r.out;
  std::ifstream in(json);
  auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["tests"].size(), 3u);
  EXPECT_EQ(j["tests"][0]["name"],
            "build: The submission compiles with the lab's flags");
  EXPECT_EQ(j["tests"][0]["status"], "failed");
  EXPECT_NE(j["tests"][0]["output"].get<std::string>().find("undeclared"),
            std::string::npos);
  EXPECT_EQ(j["tests"][1]["status"], "failed");
  EXPECT_NE(j["tests"][1]["output"].get<std::string>().find("does not build"),
            std::string::npos);
  EXPECT_EQ(j["score"], 0);
  EXPECT_TRUE(fs::exists(xml));
}

TEST_F(CliTest, SubmissionWithoutSourcesIsAFailedBuild) {
  fs::create_directories(dir_ / "empty");
  auto r = Ipclab({"grade", SmallLab().string(), "--submission",
                   (dir_ / "empty").string()});
  EXPECT_EQ(Code(r), 1);
  EXPECT_NE(r.out.find("no source files"), std::string::npos) << r.out;
  // Nothing was compiled: no empty command to "run above", but which files
  // the lab compiles, where the grader looked, and what it found.
  EXPECT_EQ(r.out.find("Command:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("run the command above"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Every file named *.cpp directly in " +
                       (dir_ / "empty").string()),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("nothing: the directory is empty"), std::string::npos)
      << r.out;

  // Sources one folder too deep: the listing shows the folder.
  Write("nested/src/psh.cpp", "int main() {}\n");
  r = Ipclab({"grade", SmallLab().string(), "--submission",
              (dir_ / "nested").string()});
  EXPECT_EQ(Code(r), 1);
  EXPECT_NE(r.out.find("    src/\n"), std::string::npos) << r.out;
  EXPECT_NE(Unwrapped(r.out).find("not in a subfolder"), std::string::npos)
      << r.out;
}

TEST_F(CliTest, RepeatRunsEachTestNTimesAndTheRerunKeepsIt) {
  auto r = Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true",
                   "--repeat", "3", "--only", "echo"});
  EXPECT_EQ(Code(r), 1) << r.out << r.err;
  EXPECT_NE(r.out.find("This test failed 3 of 3 runs."), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--repeat 3 --only echo"), std::string::npos) << r.out;
  EXPECT_EQ(Code(Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true",
                         "--repeat", "0"})),
            2);
}

TEST_F(CliTest, VersionNamesTheProjectVersion) {
  auto r = Ipclab({"--version"});
  EXPECT_EQ(Code(r), 0) << r.err;
  EXPECT_EQ(r.out.rfind(std::string("ipclab ") + IPCLAB_VERSION + " (git ", 0),
            0u)
      << r.out;
}

TEST_F(CliTest, OnlyThatMatchesNothingIsAUsageErrorNamingTheClosestIds) {
  auto r = Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true",
                   "--only", "pipr"});
  EXPECT_EQ(Code(r), 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");  // Nothing graded, no score of 0/0.
  EXPECT_NE(r.err.find("--only 'pipr' matches no test of lab small"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("closest test ids are pipe and echo"), std::string::npos)
      << r.err;
  // A word or glob that matches still runs.
  EXPECT_EQ(Code(Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true",
                         "--only", "pi*"})),
            1);
}

TEST_F(CliTest, SeveralOnlyRunWhatAnyOfThemSelectsAndEachMustMatch) {
  // One pattern per --only: the lab after them is not taken for a pattern.
  auto r = Ipclab({"grade", "--only", "echo", "--only", "pipe",
                   SmallLab().string(), "--binary", "/bin/true"});
  EXPECT_EQ(Code(r), 1) << r.out << r.err;
  EXPECT_NE(r.out.find(" echo "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" pipe "), std::string::npos) << r.out;
  r = Ipclab({"grade", SmallLab().string(), "--binary", "/bin/true", "--only",
              "echo", "--only", "pipr"});
  EXPECT_EQ(Code(r), 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--only 'pipr' matches no test"), std::string::npos)
      << r.err;
}

TEST_F(CliTest, UnknownLabListsTheLabs) {
  for (auto args :
       {std::vector<std::string>{"grade", "pipelin", "--binary", "/bin/true"},
        std::vector<std::string>{"list", "pipelin"}}) {
    auto r = Ipclab(args);
    EXPECT_EQ(Code(r), 2);
    EXPECT_NE(r.err.find("no lab named 'pipelin'. Did you mean pipeline? The "
                         "labs are echo, pipeline and threadpool"),
              std::string::npos)
        << r.err;
  }
}

// Runs ipclab with stdout on a pipe whose reader is already gone, as at the
// end of `ipclab grade ... | head` once head has exited, without racing a
// real head. Returns the raw wait status; *err gets its stderr.
int RunWithReaderGone(const std::vector<std::string>& args, std::string* err) {
  int out[2], errp[2];
  if (pipe(out) != 0 || pipe(errp) != 0) return -1;
  close(out[0]);
  std::vector<std::string> argv = {(BinDir() / "ipclab").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, errp[1], 2);
  posix_spawn_file_actions_addclose(&actions, errp[0]);
  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(errp[1]);
  if (rc != 0) return -1;
  char buf[4096];
  for (ssize_t n; (n = read(errp[0], buf, sizeof buf)) > 0;)
    err->append(buf, n);
  close(errp[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST_F(CliTest, EndsLikeAFilterWhenItsReaderGoesAway) {
  std::string err;
  int status = RunWithReaderGone(
      {"grade", SmallLab().string(), "--binary", "/bin/true"}, &err);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << status;
  EXPECT_EQ(err, "");  // Quiet, as `yes | head` is.

  // Report files are still written in full before it ends.
  const fs::path xml = dir_ / "out/junit.xml";
  const fs::path json = dir_ / "out/results.json";
  err.clear();
  status = RunWithReaderGone(
      {"grade", SmallLab().string(), "--binary", "/bin/true", "--junit",
       xml.string(), "--gradescope", json.string()},
      &err);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << status;
  EXPECT_EQ(err, "");
  std::ifstream in(json);
  auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["tests"].size(), 2u);
  std::ifstream x(xml);
  const std::string report((std::istreambuf_iterator<char>(x)), {});
  EXPECT_NE(report.find("name=\"echo\""), std::string::npos) << report;
  EXPECT_NE(report.find("name=\"pipe\""), std::string::npos) << report;

  // `ipclab list | head` too.
  err.clear();
  status = RunWithReaderGone({"list", "pipeline"}, &err);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) << status;
  EXPECT_EQ(err, "");
}

TEST_F(CliTest, ListShowsLabsAndTests) {
  auto r = Ipclab({"list"});
  EXPECT_EQ(Code(r), 0);
  EXPECT_NE(r.out.find("pipeline: "), std::string::npos);
  auto r2 = Ipclab({"list", "pipeline"});
  EXPECT_NE(r2.out.find("sigpipe-yes-head"), std::string::npos);
}

// The build line printed by `ipclab list LAB` is lab.yaml's, and the line
// offered for typing builds the skeleton when typed in a copy of it.
TEST_F(CliTest, ListPrintsTheBuildLineAndItsTypeableFormWorks) {
  auto r = Ipclab({"list", "pipeline"});
  EXPECT_EQ(Code(r), 0);
  EXPECT_NE(r.out.find("Build: every file matching *.cpp or *.cc"),
            std::string::npos)
      << r.out;
  const std::string marker =
      "To build it the same way in your folder, type:\n  ";
  const auto at = r.out.find(marker);
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string typed =
      r.out.substr(at + marker.size(),
                   r.out.find('\n', at + marker.size()) - at - marker.size());
  const fs::path copy = dir_ / "skeleton";
  fs::copy(SourceDir() / "skeletons" / "pipeline", copy,
           fs::copy_options::recursive);
  const std::string cmd = "cd " + copy.string() + " && " + typed + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_TRUE(fs::exists(copy / "psh")) << cmd;
}

}  // namespace
}  // namespace ipclab
