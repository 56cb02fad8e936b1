// How a run ended, from real launches (as launcher_test.cc does) to the one
// standard verdict (core/termination): every termination of the closed set,
// with the limits and deadline quoted as they were really applied.
#include "core/termination.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace ipclab {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

LaunchResult LaunchOf(std::vector<std::string> argv, LaunchSpec spec = {}) {
  spec.argv = std::move(argv);
  spec.cwd = std::filesystem::temp_directory_path();
  auto r = Launch(spec);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : LaunchResult{};
}

const EndingContext kWho{"Your shell", std::nullopt};

std::string HowItEnded(const Verdict& v) {
  for (const auto& s : v.sections) {
    if (s.title == "How it ended") return s.body;
  }
  return "";
}

TEST(TerminationTest, ExitedAndStoppedAreLeftToTheKind) {
  auto r = LaunchOf({"sh", "-c", "exit 3"});
  EXPECT_EQ(r.termination, Termination::kExited);
  EXPECT_EQ(r.status, ExitStatus::Exited(3));
  EXPECT_FALSE(JudgeTermination(r, kWho).has_value());

  LaunchSpec spec;
  spec.driver = [](Running& running) {
    running.MainPid();
    running.Stop();
  };
  r = LaunchOf({"sleep", "100"}, spec);
  EXPECT_EQ(r.termination, Termination::kStopped);
  EXPECT_TRUE(r.stopped);
  EXPECT_FALSE(JudgeTermination(r, kWho).has_value());
}

TEST(TerminationTest, SignalledIsACrashThatSaysWhatTheSignalMeans) {
  auto r = LaunchOf({"sh", "-c", "kill -SEGV $$"});
  EXPECT_EQ(r.termination, Termination::kSignalled);
  auto v = JudgeTermination(r, kWho);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kCrash);
  EXPECT_EQ(v->summary, "Your shell was killed by signal 11 (SIGSEGV).");
  EXPECT_THAT(HowItEnded(*v), HasSubstr("memory it does not own"));
  EXPECT_THAT(SignalMeaning(SIGPIPE), HasSubstr("reading end is closed"));
}

TEST(TerminationTest, DeadlineQuotesTheAppliedDeadlineAndTheReference) {
  LaunchSpec spec;
  spec.timeout = milliseconds(300);
  auto r = LaunchOf({"sleep", "100"}, spec);
  EXPECT_EQ(r.termination, Termination::kDeadline);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.deadline, milliseconds(300));
  auto v = JudgeTermination(r, {"Your pool", 0.012});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kTimeout);
  EXPECT_EQ(v->summary,
            "Your pool was still running after 0.3 s, the test's deadline; "
            "the reference finished in 12 ms.");
  EXPECT_THAT(HowItEnded(*v), HasSubstr("0.3 s for this test"));
}

TEST(TerminationTest, OutputLimitQuotesTheConfiguredCap) {
  LaunchSpec spec;
  spec.output_cap = 4096;
  auto r = LaunchOf({"yes"}, spec);
  EXPECT_EQ(r.termination, Termination::kOutputLimit);
  auto v = JudgeTermination(r, {"Your server", std::nullopt});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kOutputLimit);
  EXPECT_EQ(v->summary,
            "Your server printed more than 4 KiB on stdout, the grader's cap "
            "for one stream, and was stopped.");
}

TEST(TerminationTest, ProcessLimitQuotesTheConfiguredLimit) {
  LaunchSpec spec;
  spec.limits.processes = 12;
  spec.timeout = milliseconds(60000);  // The limit must act first.
  auto r = LaunchOf({"sh", "-c", "while :; do sleep 1000 & done"}, spec);
  EXPECT_EQ(r.termination, Termination::kProcessLimit);
  auto v = JudgeTermination(r, kWho);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kFail);
  EXPECT_EQ(v->summary,
            "Your shell had more than 12 processes at once, the grader's "
            "limit for one test, so the grader stopped it.");
  EXPECT_THAT(v->summary, ::testing::Not(HasSubstr("256")));
}

TEST(TerminationTest, NotStartedIsTheGradersError) {
  auto r = LaunchOf({"/no/such/program"});
  EXPECT_EQ(r.termination, Termination::kNotStarted);
  auto v = JudgeTermination(r, kWho);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kError);
  EXPECT_THAT(v->summary, HasSubstr("Your shell could not be started: "));

  r = LaunchOf({"no-such-command-anywhere"});
  EXPECT_EQ(r.termination, Termination::kNotStarted);
  EXPECT_EQ(JudgeTermination(r, kWho)->outcome, Outcome::kError);
}

// No launch produces kMemoryLimit yet (see launcher.h); its verdict is
// still part of the closed set.
TEST(TerminationTest, MemoryLimitQuotesTheLimit) {
  LaunchResult r;
  r.termination = Termination::kMemoryLimit;
  r.limits.address_space = 512u << 20;
  auto v = JudgeTermination(r, kWho);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->outcome, Outcome::kFail);
  EXPECT_EQ(v->summary,
            "Your shell used more than 512 MiB of memory, the grader's limit "
            "for one test, and was stopped.");
  EXPECT_TRUE(EndedByLimit(Termination::kMemoryLimit));
  EXPECT_FALSE(EndedByLimit(Termination::kSignalled));
}

TEST(TerminationTest, FormatBytes) {
  EXPECT_EQ(FormatBytes(1u << 20), "1 MiB");
  EXPECT_EQ(FormatBytes(65536), "64 KiB");
  EXPECT_EQ(FormatBytes(1000), "1000 bytes");
  EXPECT_EQ(FormatBytes(1), "1 byte");
}

}  // namespace
}  // namespace ipclab
