// The launcher contains every run: these tests use real processes, because
// what matters (trees, fds, signals) only exists in a real kernel.
#include "core/launcher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/paths.h"
#include "core/shell_quote.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;
namespace fs = std::filesystem;

class LauncherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "launcher-test-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  LaunchResult Run(std::vector<std::string> argv,
                   milliseconds timeout = milliseconds(10000)) {
    LaunchSpec spec;
    spec.argv = std::move(argv);
    spec.cwd = dir_;
    spec.timeout = timeout;
    auto r = Launch(spec);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : LaunchResult{};
  }

  static bool Alive(pid_t pid) { return kill(pid, 0) == 0; }

  static pid_t ReadPid(const fs::path& file) {
    std::ifstream in(file);
    pid_t pid = 0;
    in >> pid;
    return pid;
  }

  fs::path dir_;
};

TEST_F(LauncherTest, CapturesStdoutStderrAndExitCode) {
  auto r = Run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.status, ExitStatus::Exited(3));
  EXPECT_FALSE(r.timed_out);
}

TEST_F(LauncherTest, DecodesSignalsApartFromExitCodes) {
  EXPECT_EQ(Run({"sh", "-c", "kill -SEGV $$"}).status,
            ExitStatus::Signaled(SIGSEGV));
  EXPECT_EQ(Run({"sh", "-c", "exit 11"}).status, ExitStatus::Exited(11));
  EXPECT_EQ(Run({"sh", "-c", "kill -PIPE $$"}).status,
            ExitStatus::Signaled(SIGPIPE));
}

TEST_F(LauncherTest, DeadlineKillsAHangingProgram) {
  auto r = Run({"sleep", "1000"}, milliseconds(300));
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.status.signaled());
  // Generous: the kill is immediate; only a broken launcher takes seconds.
  EXPECT_LT(r.seconds, 30);
}

TEST_F(LauncherTest, DeadlineKillsAChildThatIgnoresSigterm) {
  // The deadline must come after "ready": generous, for a loaded machine.
  auto r = Run({"sh", "-c", "trap '' TERM; echo ready; sleep 1000"},
               milliseconds(5000));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.out, "ready\n");
}

TEST_F(LauncherTest, DeadlineKillsASetsidGrandchild) {
  // The grandchild leaves the process group and the session; only the
  // per-test subreaper can still find it.
  auto r = Run({"sh", "-c",
                "setsid sh -c 'echo $$ > escapee; exec sleep 1000' & "
                "while [ ! -s escapee ]; do :; done; sleep 1000"},
               milliseconds(5000));  // After the escapee exists, even if slow.
  EXPECT_TRUE(r.timed_out);
  pid_t escapee = ReadPid(dir_ / "escapee");
  ASSERT_GT(escapee, 0);
  EXPECT_FALSE(Alive(escapee))
      << "setsid grandchild " << escapee << " survived the test";
}

TEST_F(LauncherTest, StraysAreReportedAndKilledWhenMainExits) {
  auto r = Run({"sh", "-c",
                "setsid sh -c 'echo $$ > escapee; exec sleep 1000' & "
                "while [ ! -s escapee ]; do :; done; exit 0"});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, ExitStatus::Exited(0));
  pid_t escapee = ReadPid(dir_ / "escapee");
  ASSERT_GT(escapee, 0);
  ASSERT_EQ(r.strays.size(), 1u);
  EXPECT_EQ(r.strays[0].pid, escapee);
  EXPECT_EQ(r.strays[0].comm, "sleep");
  EXPECT_FALSE(Alive(escapee));
}

TEST_F(LauncherTest, DoubleForkOrphanIsKilled) {
  auto r = Run({"sh", "-c",
                "(sh -c 'echo $$ > orphan; exec sleep 1000' &) ; "
                "while [ ! -s orphan ]; do :; done"});
  pid_t orphan = ReadPid(dir_ / "orphan");
  ASSERT_GT(orphan, 0);
  EXPECT_EQ(r.strays.size(), 1u);
  EXPECT_FALSE(Alive(orphan));
}

TEST_F(LauncherTest, ForkBombIsStoppedAndReported) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "while :; do sleep 1000 & done"};
  spec.cwd = dir_;
  spec.limits.processes = 64;
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->process_limited);
  EXPECT_FALSE(r->timed_out);
  EXPECT_TRUE(r->status.signaled());
}

TEST_F(LauncherTest, OutputCapStopsAFlood) {
  LaunchSpec spec;
  spec.argv = {"yes", "flood"};
  spec.output_cap = 64 * 1024;
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->output_limited);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->out.size(), 64u * 1024);
  EXPECT_GT(r->out_bytes, 64u * 1024);
}

TEST_F(LauncherTest, StderrFloodIsCappedToo) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "yes err >&2"};
  spec.output_cap = 4096;
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->output_limited);
  EXPECT_EQ(r->err.size(), 4096u);
}

TEST_F(LauncherTest, ChildGetsOnlyStdFdsDefaultSignalsAndEmptyMask) {
  // Make the grader look like a messy parent: a leaked fd, an ignored and a
  // blocked signal. None of it may reach the child.
  int leaked = open("/dev/null", O_RDONLY);  // Deliberately not O_CLOEXEC.
  ASSERT_GE(leaked, 3);
  auto old_pipe = signal(SIGPIPE, SIG_IGN);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &block, &old_mask);

  auto r = Run({(BinDir() / "ipclab-fds").string(), "report.fds"});

  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  signal(SIGPIPE, old_pipe);
  close(leaked);
  std::ifstream in(dir_ / "report.fds");
  std::string line, fds, sigign, sigblk;
  while (std::getline(in, line)) {
    if (line.rfind("fd ", 0) == 0)
      fds += line.substr(3, line.find(' ', 3) - 3) + " ";
    if (line.rfind("sigign ", 0) == 0) sigign = line.substr(7);
    if (line.rfind("sigblk ", 0) == 0) sigblk = line.substr(7);
  }
  EXPECT_EQ(fds, "0 1 2 ");
  EXPECT_EQ(sigign, "0000000000000000");
  EXPECT_EQ(sigblk, "0000000000000000");
  EXPECT_EQ(r.status, ExitStatus::Exited(0));
}

TEST_F(LauncherTest, RlimitsStopRunawaysButAllowThreads) {
  auto r = Run({"sh", "-c", "ulimit -c; ulimit -n; ulimit -f"});
  EXPECT_EQ(r.out, "0\n1024\n524288\n");  // 256 MiB in 512-byte blocks.
}

TEST_F(LauncherTest, MissingProgramIsReportedNotThrown) {
  auto r = Run({"no-such-program-ipclab"});
  EXPECT_TRUE(r.exec_failed);
  EXPECT_EQ(r.status, ExitStatus::Exited(127));
  auto r2 = Run({"/no/such/path"});
  EXPECT_TRUE(r2.exec_failed);
}

TEST_F(LauncherTest, FeedsStdinBytesFarBeyondPipeCapacity) {
  LaunchSpec spec;
  spec.argv = {"cat"};
  spec.stdin_bytes = std::string(3 << 20, 'x');
  (*spec.stdin_bytes)[12345] = '\0';
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out.size(), 1u << 20);  // Capped at the default 1 MiB...
  EXPECT_TRUE(r->output_limited);      // ...and reported as such.
  spec.output_cap = 4 << 20;
  auto r2 = Launch(spec);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->out, *spec.stdin_bytes);
}

TEST_F(LauncherTest, DriverWritesAndClosesStdinWhileTheProgramRuns) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "read a; echo got $a; read b; echo got $b"};
  spec.driver = [](Running& running) {
    EXPECT_TRUE(running.Write("one\n").ok());
    EXPECT_GT(running.MainPid(), 0);
    EXPECT_TRUE(running.Write("two\n").ok());
    running.CloseStdin();
    EXPECT_TRUE(running.WaitFinished(std::chrono::seconds(30)));
  };
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out, "got one\ngot two\n");
}

TEST_F(LauncherTest, WriteToADeadProgramIsAnErrorNotSigpipe) {
  LaunchSpec spec;
  spec.argv = {"true"};
  Status last;
  spec.driver = [&](Running& running) {
    running.WaitFinished(std::chrono::seconds(30));
    last = running.Write(std::string(1 << 20, 'x'));
  };
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(last.ok());
}

TEST_F(LauncherTest, ParallelLaunchesDoNotLeakPipesIntoEachOther) {
  // If one test's pipe leaked into another's child, that `cat` would never
  // see EOF and its launch would time out.
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        LaunchSpec spec;
        spec.argv = {"cat"};
        spec.stdin_bytes = std::string(200000, 'p');
        spec.timeout = milliseconds(20000);
        auto r = Launch(spec);
        if (r.ok() && !r->timed_out && r->out.size() == 200000) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 40);
}

TEST_F(LauncherTest, DriverWaitsForAReadinessLineThenStopsTheServer) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "echo listening on 1234; exec sleep 1000"};
  spec.timeout = milliseconds(60000);
  bool ready = false;
  spec.driver = [&](Running& running) {
    ready = running.WaitForStdout(
        [](const std::string& out) {
          return out.find('\n') != std::string::npos;
        },
        milliseconds(30000));
    EXPECT_EQ(running.Stdout(), "listening on 1234\n");
    running.Stop();
    EXPECT_TRUE(running.WaitFinished(milliseconds(30000)));
  };
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(ready);
  EXPECT_TRUE(r->stopped);
  EXPECT_FALSE(r->timed_out);
}

TEST_F(LauncherTest, DriverCanSignalTheMainProcess) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c",
               "trap 'exit 7' TERM; echo ready; while :; do :; done"};
  spec.driver = [&](Running& running) {
    ASSERT_TRUE(running.WaitForStdout(
        [](const std::string& out) { return out == "ready\n"; },
        milliseconds(30000)));
    EXPECT_TRUE(running.Signal(SIGTERM).ok());
    running.WaitFinished(milliseconds(30000));
  };
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, ExitStatus::Exited(7));
  EXPECT_FALSE(r->stopped);
}

TEST_F(LauncherTest, WaitForStdoutGivesUpWhenTheProgramEnds) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "echo not what you wait for"};
  bool ready = true;
  spec.driver = [&](Running& running) {
    ready = running.WaitForStdout(
        [](const std::string& out) { return out.find("listening") == 0; },
        milliseconds(60000));
  };
  auto r = Launch(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(ready);
  EXPECT_LT(r->seconds, 30);
}

TEST(ShellQuoteTest, QuotesOnlyWhereNeeded) {
  EXPECT_EQ(ShellQuote({"ls", "-l", "a b", "it's"}), "ls -l 'a b' 'it'\\''s'");
}

}  // namespace
}  // namespace ipclab
