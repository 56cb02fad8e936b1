// The parts of a launch that run nothing: ipclab-init's arguments, PATH
// lookup, stdin sources and the status file's reading.
#include "core/launch_setup.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>

namespace ipclab {
namespace {

TEST(LaunchSetupTest, InitArgsCarryTheLimitsThenTheProgram) {
  LaunchSpec spec;
  spec.argv = {"prog", "a b", "-x"};
  spec.limits.processes = 7;
  spec.limits.address_space = 0;  // Not passed when 0.
  spec.private_network = "4096 16384 16384";
  const auto args = InitArgs(spec, "/tmp/status", "/bin/prog");
  const std::vector<std::string> want = {"--status",
                                         "/tmp/status",
                                         "--nofile",
                                         std::to_string(spec.limits.open_files),
                                         "--fsize",
                                         std::to_string(spec.limits.file_size),
                                         "--max-procs",
                                         "7",
                                         "--private-net",
                                         "4096 16384 16384",
                                         "--",
                                         "/bin/prog",
                                         "a b",
                                         "-x"};
  EXPECT_EQ(args, want);
}

TEST(LaunchSetupTest, FindInPathUsesTheEnvironmentsPath) {
  EXPECT_EQ(FindInPath("sh", {"PATH=/nonexistent:/bin"}), "/bin/sh");
  EXPECT_EQ(FindInPath("no-such-program-xyz", {"PATH=/bin:/usr/bin"}), "");
  // A directory of that name is not a program.
  EXPECT_EQ(FindInPath("tmp", {"PATH=/"}), "");
}

TEST(LaunchSetupTest, StdinIsDevNullAPipeOrAFile) {
  LaunchSpec none;
  auto a = OpenStdin(none);
  ASSERT_TRUE(a.ok());
  EXPECT_GE(a->child, 0);
  EXPECT_EQ(a->feed, -1);
  close(a->child);

  LaunchSpec bytes;
  bytes.stdin_bytes = "hi";
  auto b = OpenStdin(bytes);
  ASSERT_TRUE(b.ok());
  EXPECT_GE(b->feed, 0);
  close(b->child);
  close(b->feed);

  LaunchSpec missing;
  missing.stdin_file = "/nonexistent/input";
  auto c = OpenStdin(missing);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("/nonexistent/input"), std::string::npos);
}

TEST(LaunchSetupTest, StatusFileGivesStatusLimitCpuAndStrays) {
  char path[] = "/tmp/launch-setup-test-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << "main signaled 9\nprocess_limit\ncpu_ms 42\n"
                         "stray 123 S sleep\tsleep 1000\nend\n";
  LaunchResult r;
  bool complete = false;
  ParseStatusFile(path, &r, &complete);
  unlink(path);
  EXPECT_TRUE(complete);
  EXPECT_EQ(r.status, ExitStatus::Signaled(9));
  EXPECT_EQ(r.termination, Termination::kProcessLimit);
  EXPECT_EQ(r.cpu_ms, 42);
  ASSERT_EQ(r.strays.size(), 1u);
  EXPECT_EQ(r.strays[0].pid, 123);
  EXPECT_EQ(r.strays[0].comm, "sleep");
  EXPECT_EQ(r.strays[0].cmdline, "sleep 1000");

  // Without the final line, init did not report in full.
  LaunchResult partial;
  complete = false;
  ParseStatusFile("/nonexistent/status", &partial, &complete);
  EXPECT_FALSE(complete);
}

}  // namespace
}  // namespace ipclab
