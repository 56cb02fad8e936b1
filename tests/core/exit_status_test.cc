#include "core/exit_status.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

namespace ipclab {
namespace {

TEST(ExitStatusTest, SignalIsNotConfusedWithExitCode) {
  // exit(11) and SIGSEGV look the same through Boost's exit_code(); decoded
  // from the raw wait status they must not.
  EXPECT_EQ(ExitStatus::FromWaitStatus(11 << 8), ExitStatus::Exited(11));
  EXPECT_EQ(ExitStatus::FromWaitStatus(SIGSEGV), ExitStatus::Signaled(SIGSEGV));
}

TEST(ExitStatusTest, ShellStatusAddsOneHundredTwentyEightForSignals) {
  EXPECT_EQ(ExitStatus::Signaled(SIGPIPE).ShellStatus(), 141);
  EXPECT_EQ(ExitStatus::Exited(3).ShellStatus(), 3);
}

TEST(ExitStatusTest, DescriptionsNameTheSignal) {
  EXPECT_EQ(ExitStatus::Signaled(13).Describe(),
            "killed by signal 13 (SIGPIPE)");
  EXPECT_EQ(ExitStatus::Exited(2).Describe(), "exited with status 2");
  EXPECT_EQ(DescribeShellStatus(143), "143 (128 + SIGTERM)");
  EXPECT_EQ(DescribeShellStatus(1), "1");
}

}  // namespace
}  // namespace ipclab
