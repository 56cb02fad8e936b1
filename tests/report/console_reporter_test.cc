#include "report/console_reporter.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <optional>
#include <sstream>
#include <vector>

#include "report_test_util.h"

namespace ipclab {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::HostileSummary;
using testing::Lines;
using testing::MemoryFile;
using ::testing::Not;
using testing::PlainSummary;
using ::testing::StartsWith;

// Runs a whole summary through a console reporter, as the runner would.
std::string Render(const RunSummary& summary, ConsoleOptions options) {
  MemoryFile out;
  ConsoleReporter reporter(out.get(), options);
  reporter.OnRunStart(summary.info);
  for (const TestResult& r : summary.results) reporter.OnTestEnd(r);
  EXPECT_TRUE(reporter.OnRunEnd(summary).ok());
  return out.contents();
}

const std::string* LineStartingWith(const std::vector<std::string>& lines,
                                    const std::string& prefix) {
  for (const std::string& line : lines) {
    if (line.rfind(prefix, 0) == 0) return &line;
  }
  return nullptr;
}

TEST(ConsoleReporterTest, PrintsHeaderFirstAndScoreLast) {
  const std::string out = Render(PlainSummary(), {});
  const std::vector<std::string> lines = Lines(out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front(),
            "Grading pipeline (A shell that runs pipelines): submissions/alice "
            "\u2014 10 tests, 20 points");
  EXPECT_EQ(lines[lines.size() - 3], "");
  // A skipped test was not run: it is not counted as failed.
  EXPECT_EQ(lines[lines.size() - 2], "2 passed, 7 failed, 1 not run");
  EXPECT_EQ(lines.back(), "Score: 7.5/20");
  EXPECT_THAT(out, EndsWith("Score: 7.5/20\n"));
}

TEST(ConsoleReporterTest, OneAlignedLinePerTest) {
  const std::vector<std::string> lines = Lines(Render(PlainSummary(), {}));
  const std::string* pass = LineStartingWith(lines, "PASS");
  const std::string* fail = LineStartingWith(lines, "FAIL");
  const std::string* timeout = LineStartingWith(lines, "TIMEOUT");
  const std::string* error = LineStartingWith(lines, "ERROR");
  const std::string* skip = LineStartingWith(lines, "SKIP");
  ASSERT_TRUE(pass && fail && timeout && error && skip);
  EXPECT_THAT(*pass, HasSubstr("echo-basic"));
  EXPECT_THAT(*pass, EndsWith("4/4    0.12s"));
  EXPECT_THAT(*fail, HasSubstr("pipe-two"));
  EXPECT_THAT(*fail, EndsWith("0/3    1.05s"));
  // Columns line up: ids start at one offset, lines end at one offset.
  for (const std::string* line : {fail, timeout, error, skip}) {
    EXPECT_EQ(line->find_first_not_of(' ', line->find(' ')),
              pass->find("echo-basic"))
        << *line;
    EXPECT_EQ(line->size(), pass->size()) << *line;
  }
  // One list line per test (the blocks after the list start "FAIL id:").
  EXPECT_THAT(Lines(Render(PlainSummary(), {})),
              ::testing::Contains(StartsWith("FAIL     ")).Times(3));
}

TEST(ConsoleReporterTest, ExplainsEachFailureAfterTheList) {
  const std::string out = Render(PlainSummary(), {});
  EXPECT_THAT(out, HasSubstr("pipe-two"));
  EXPECT_THAT(out,
              HasSubstr("\n\nFAIL pipe-two: stdout differs at line 1\n"
                        "  Command:\n"
                        "    ./sh -c 'ls | wc -l'\n"
                        "  Expected stdout:\n"
                        "    3\n"
                        "  Actual stdout:\n"
                        "    plain output\n"
                        "  Hint: Read the man page of pipe(2).\n"
                        "  Rerun: ipclab run --lab pipeline --test pipe-two "
                        "submissions/alice\n"));
}

TEST(ConsoleReporterTest, WithoutColorThereAreNoEscapes) {
  const std::string out = Render(HostileSummary(), {.color = false});
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
}

TEST(ConsoleReporterTest, WithColorMarksAreColouredByOutcome) {
  const std::string out = Render(PlainSummary(), {.color = true});
  EXPECT_THAT(out, HasSubstr("\x1b[32mPASS\x1b[0m"));
  EXPECT_THAT(out, HasSubstr("\x1b[31mFAIL\x1b[0m"));
  EXPECT_THAT(out, HasSubstr("\x1b[31mTIMEOUT\x1b[0m"));
  EXPECT_THAT(out, HasSubstr("\x1b[33mERROR\x1b[0m"));
  EXPECT_THAT(out, HasSubstr("\x1b[33mSKIP\x1b[0m"));
  EXPECT_THAT(out, EndsWith("\nScore: 7.5/20\n"));
}

TEST(ConsoleReporterTest, StudentControlBytesAreEscaped) {
  // Colour on: the only ESC bytes left are the reporter's own colours.
  const std::string out = Render(HostileSummary(), {.color = true});
  std::string without_colors = out;
  for (const char* code : {"\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"}) {
    for (std::size_t at;
         (at = without_colors.find(code)) != std::string::npos;) {
      without_colors.erase(at, std::string(code).size());
    }
  }
  EXPECT_EQ(without_colors.find('\x1b'), std::string::npos);
  for (char c : {'\a', '\0', '\r', '\b', '\x7f'}) {
    EXPECT_EQ(out.find(c), std::string::npos) << static_cast<int>(c);
  }
  EXPECT_THAT(out,
              HasSubstr("colour \\x1b[31mred\\x1b[0m, bell \\x07, nul \\x00"));
  // Past the 120th character only --verbose shows the rest of a line.
  const std::string all = Render(HostileSummary(), {.verbose = true});
  EXPECT_THAT(all, HasSubstr("caf\xC3\xA9 \xF0\x9F\x98\x80\\x0d"));
  EXPECT_THAT(out, HasSubstr("stray \xEF\xBF\xBD\xEF\xBF\xBD"));
}

// A block fits in 25 lines; the cut is said once, with where to see all.
TEST(ConsoleReporterTest, LongBodiesAreCappedUnlessVerbose) {
  RunSummary summary = PlainSummary();
  std::string body;
  for (int i = 1; i <= 100; ++i) body += "out " + std::to_string(i) + "\n";
  summary.results[1].sections = {{"Actual stdout", body}};

  const std::string capped = Render(summary, {});
  const std::size_t start = capped.find("FAIL pipe-two:");
  const std::size_t end = capped.find("\n\n", start);
  ASSERT_NE(end, std::string::npos);
  const std::vector<std::string> block =
      Lines(capped.substr(start, end - start));
  EXPECT_EQ(block.size(), 25u) << capped;
  EXPECT_THAT(capped, HasSubstr("    out 19\n    ...\n"));
  EXPECT_THAT(capped, Not(HasSubstr("out 20")));
  EXPECT_EQ(block.back(),
            "  [81 lines not shown: add --verbose to the Rerun command to "
            "see them all]");
  // The hint and the rerun command survive the cut.
  EXPECT_THAT(capped, HasSubstr("  Rerun: ipclab run --lab pipeline --test "
                                "pipe-two submissions/alice\n  [81"));

  const std::string verbose = Render(summary, {.verbose = true});
  EXPECT_THAT(verbose, HasSubstr("    out 100\n"));
  EXPECT_THAT(verbose, Not(HasSubstr("--verbose")));
}

TEST(ConsoleReporterTest, HugeBodiesAreCapped) {
  // The 11 MB body of "flood" shows its first lines only.
  const std::string out = Render(HostileSummary(), {});
  EXPECT_LT(out.size(), 64u * 1024);
  EXPECT_THAT(out, Not(HasSubstr(std::string(testing::kTailMarker))));

  // One 1 MB line without a newline is cut at 120 characters.
  RunSummary summary = PlainSummary();
  summary.results[1].sections = {{"Actual stdout", std::string(1 << 20, 'z')}};
  const std::string one_line = Render(summary, {});
  EXPECT_THAT(one_line,
              HasSubstr("    " + std::string(120, 'z') + " [... " +
                        std::to_string(4096 - 120) + " more characters]\n"));
  EXPECT_THAT(one_line, Not(HasSubstr(std::string(121, 'z'))));
}

// Several tests failing for one known cause: the cause once, first, with
// its hint; each test only marked in the list.
TEST(ConsoleReporterTest, TestsWithOneCauseAreExplainedOnce) {
  RunSummary summary = PlainSummary();
  const Cause cause{"unreaped-children", "commands were never waited for",
                    "Call waitpid() for every pid."};
  for (int i : {1, 8}) {
    summary.results[i].outcome = Outcome::kFail;
    summary.results[i].cause = cause;
    summary.results[i].hint = cause.hint;
  }
  summary.results[8].also = {"The file 'x' has the wrong contents."};
  const std::string out = Render(summary, {});
  const std::vector<std::string> lines = Lines(out);
  EXPECT_THAT(*LineStartingWith(lines, "FAIL     pipe-two"),
              EndsWith("1.05s  unreaped-children"));
  EXPECT_THAT(out, HasSubstr("\n\n2 tests failed because commands were "
                             "never waited for (unreaped-children): fix this "
                             "first.\n  They are marked unreaped-children in "
                             "the list above.\n  The first of them, pipe-two: "
                             "stdout differs at line 1\n"));
  EXPECT_THAT(out, HasSubstr("    partial: The file 'x' has the wrong "
                             "contents.\n"));
  // The group comes before the other blocks; its tests have no block.
  EXPECT_LT(out.find("2 tests failed because"), out.find("CRASH crash-segv:"));
  EXPECT_THAT(out, Not(HasSubstr("FAIL partial:")));
  EXPECT_THAT(out, Not(HasSubstr("FAIL pipe-two:")));
}

// Tests not run because the build failed: one line for all of them.
TEST(ConsoleReporterTest, TestsNotRunForTheBuildAreOneLine) {
  RunSummary summary = PlainSummary();
  for (TestResult& r : summary.results) {
    if (r.outcome != Outcome::kSkipped) continue;
    r.cause = {kBuildFailedCause, "the build failed", ""};
    r.hint.clear();
  }
  const std::string out = Render(summary, {});
  EXPECT_THAT(out, Not(HasSubstr("needs-build")));
  EXPECT_THAT(out, HasSubstr("\n1 test not run: the build failed.\n"));
  EXPECT_THAT(out, HasSubstr("\n2 passed, 7 failed, 1 not run\n"));
}

// The console itself shows whatever it is given: an instructor's run shows
// hidden tests whole (a student's never reaches it; student_view_test).
TEST(ConsoleReporterTest, AnInstructorRunShowsHiddenTestsWhole) {
  const std::string out = Render(HostileSummary(), {});
  const std::vector<std::string> lines = Lines(out);
  const std::string* hidden = nullptr;
  for (const std::string& line : lines) {
    if (!hidden && line.find("hidden-secret") != std::string::npos) {
      hidden = &line;
    }
  }
  ASSERT_NE(hidden, nullptr);
  EXPECT_THAT(*hidden, StartsWith("FAIL"));
  EXPECT_THAT(*hidden, HasSubstr("0/1"));
  EXPECT_THAT(out, HasSubstr(std::string(testing::kSecret)));
}

TEST(ShouldUseColorTest, DecidesFromTerminalNoColorAndTerm) {
  EXPECT_TRUE(ShouldUseColor(true, nullptr, "xterm-256color"));
  EXPECT_TRUE(ShouldUseColor(true, nullptr, nullptr));
  EXPECT_TRUE(ShouldUseColor(true, "", "xterm"));  // Empty NO_COLOR: ignored.
  EXPECT_FALSE(ShouldUseColor(true, "1", "xterm"));
  EXPECT_FALSE(ShouldUseColor(true, "0", "xterm"));  // Any non-empty value.
  EXPECT_FALSE(ShouldUseColor(true, nullptr, "dumb"));
  EXPECT_FALSE(ShouldUseColor(false, nullptr, "xterm"));
}

TEST(ShouldUseColorTest, NotForFilesAndPipes) {
  testing::MemoryFile memory;
  EXPECT_FALSE(ShouldUseColor(memory.get()));
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EXPECT_FALSE(ShouldUseColor(file));
  std::fclose(file);
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(ShouldUseColorTest, ReadsTheEnvironmentForATerminal) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    FAIL() << "cannot open a pseudo-terminal (posix_openpt): this test "
              "needs /dev/ptmx to check colour on a real terminal";
  }
  std::FILE* tty = std::fopen(::ptsname(master), "w");
  ASSERT_NE(tty, nullptr);
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv term("TERM", "xterm");
    EXPECT_TRUE(ShouldUseColor(tty));
  }
  {
    ScopedEnv no_color("NO_COLOR", "1");
    ScopedEnv term("TERM", "xterm");
    EXPECT_FALSE(ShouldUseColor(tty));
  }
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    ScopedEnv term("TERM", "dumb");
    EXPECT_FALSE(ShouldUseColor(tty));
  }
  std::fclose(tty);
  ::close(master);
}

}  // namespace
}  // namespace ipclab
