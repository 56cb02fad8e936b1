#include "report_test_util.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "core/shell_quote.h"

namespace ipclab::testing {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "ipclab-report-XXXXXX")
          .string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  // gtest reports an exception escaping a test as that test's failure.
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  // Tests may leave read-only directories behind; removal is best effort.
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

MemoryFile::MemoryFile() : file_(::open_memstream(&buffer_, &size_)) {}

MemoryFile::~MemoryFile() {
  if (file_ != nullptr) std::fclose(file_);
  std::free(buffer_);
}

std::string MemoryFile::contents() {
  std::fflush(file_);
  return std::string(buffer_, size_);
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::filesystem::path JUnitSchemaPath() {
  return std::filesystem::path(IPCLAB_SOURCE_DIR
                               "/tests/report/schema/ipclab-junit.xsd");
}

std::string HostileBytes() {
  using namespace std::string_literals;
  return "colour \x1b[31mred\x1b[0m, bell \a, nul "s + '\0' +
         " after nul, cdata ]]> end, specials &<>\"' &amp;, "
         "stray \xff\xfe, truncated \xc3(, overlong \xc0\xaf, "
         "surrogate \xed\xa0\x80, nonchar \xef\xbf\xbe, "
         "fine: caf\xc3\xa9 \xf0\x9f\x98\x80\r\n"
         "second line\x08\x7f\n";
}

namespace {

TestResult Result(std::string id, Outcome outcome, double points,
                  double max_points, double seconds) {
  TestResult r;
  r.id = std::move(id);
  r.title = "Title of " + r.id;
  r.outcome = outcome;
  r.points = points;
  r.max_points = max_points;
  r.seconds = seconds;
  if (outcome != Outcome::kPass) {
    r.rerun = "ipclab run --lab pipeline --test " + r.id + " submissions/alice";
    r.hint = "Read the man page of pipe(2).";
  }
  return r;
}

RunSummary Summary(bool hostile) {
  const std::string student = hostile ? HostileBytes() : "plain output\n";
  RunSummary s;
  s.info = {"pipeline", "A shell that runs pipelines", "submissions/alice", 10,
            20};
  s.timestamp = "2026-11-27T02:30:00";
  s.hostname = "grader-01";
  s.seconds = 12.3456;

  s.results.push_back(Result("echo-basic", Outcome::kPass, 4, 4, 0.12));

  TestResult pipe = Result("pipe-two", Outcome::kFail, 0, 3, 1.0505);
  pipe.title = hostile ? "Two stages & <redirects> \"quoted\"" : "Two stages";
  pipe.summary = hostile
                     ? "stdout differs at line 1: \x1b[31m<&>\"'\xff" + student
                     : "stdout differs at line 1";
  pipe.sections = {{"Command", "./sh -c 'ls | wc -l'"},
                   {"Expected stdout", "3\n"},
                   {"Actual stdout", student}};
  s.results.push_back(pipe);

  TestResult crash = Result("crash-segv", Outcome::kCrash, 0, 2, 0.3);
  crash.summary = "killed by signal 11 (SIGSEGV)";
  crash.sections = {{"Status", "killed by signal 11 (SIGSEGV)"},
                    {"Actual stderr", student}};
  s.results.push_back(crash);

  TestResult slow = Result("slow-reader", Outcome::kTimeout, 0, 2, 10.0);
  slow.summary = "still running after 10s";
  s.results.push_back(slow);

  TestResult flood = Result("flood", Outcome::kOutputLimit, 0, 2, 2.5);
  flood.summary = "printed more than 10 MB";
  std::string body = student;
  if (hostile) {
    body.reserve(11 * 1024 * 1024 + 100);
    while (body.size() < 11 * 1024 * 1024) body += "yes yes yes yes\n";
    body += kTailMarker;
    body += '\n';
  }
  flood.sections = {{"Actual stdout", body}};
  s.results.push_back(flood);

  TestResult broke = Result("grader-broke", Outcome::kError, 0, 1, 0.01);
  broke.summary = "the reference program could not start";
  s.results.push_back(broke);

  TestResult skipped = Result("needs-build", Outcome::kSkipped, 0, 1, 0);
  skipped.summary = "not run: the build failed";
  s.results.push_back(skipped);

  TestResult secret = Result("hidden-secret", Outcome::kFail, 0, 1, 0.2);
  secret.visibility = Visibility::kHidden;
  secret.summary = "wrong output";
  secret.sections = {{"Expected stdout", std::string(kSecret) + "\n"},
                     {"Actual stdout", student}};
  secret.hint = std::string(kSecret) + " in the hint";
  s.results.push_back(secret);

  TestResult partial = Result("partial", Outcome::kFail, 1.5, 2, 0.4);
  partial.summary = "3 of 4 lines correct";
  partial.sections = {{"Difference", "- 4\n+ 5\n"}};
  s.results.push_back(partial);

  TestResult hidden_pass = Result("hidden-pass", Outcome::kPass, 2, 2, 0.05);
  hidden_pass.visibility = Visibility::kHidden;
  s.results.push_back(hidden_pass);

  s.points = 7.5;
  s.max_points = 20;
  return s;
}

}  // namespace

RunSummary HostileSummary() { return Summary(/*hostile=*/true); }

RunSummary PlainSummary() { return Summary(/*hostile=*/false); }

}  // namespace ipclab::testing
