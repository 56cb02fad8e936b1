// ipclab-init: the first process of every test's process tree.
//
//   ipclab-init --status FILE [--nofile N] [--fsize BYTES] [--as BYTES]
//               [--private-net "MIN DEFAULT MAX"] -- /abs/path/prog [args...]
//
// The grader is multi-threaded and runs tests in parallel, so it cannot be
// the subreaper of every test at once and still know which orphan belongs to
// which test. This small single-threaded program is that subreaper for one
// test: every process the student's program starts, including `setsid` and
// double-fork escapees, ends up its descendant. It starts the program with
// only fds 0-2, default signal dispositions and an empty mask, waits for it,
// records anything still alive when it exits ("strays"), kills and reaps the
// whole tree, and writes what happened to FILE. SIGTERM from the grader (at a
// deadline or an output cap) kills the tree the same way.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/proc_tree.h"

namespace {

struct Options {
  std::string status_file;
  rlim_t nofile = 0, fsize = 0, as = 0;
  std::size_t max_procs = 0;  // 0: no limit.
  std::string private_net;    // tcp_wmem/tcp_rmem of a private netns.
  std::vector<char*> argv;
};

[[noreturn]] void Usage() {
  std::fprintf(
      stderr,
      "usage: ipclab-init --status FILE [--nofile N] [--fsize B] "
      "[--as B] [--max-procs N] [--private-net MEM] -- PROG [ARGS...]\n");
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) Usage();
    std::string v = argv[++i];
    if (a == "--status") {
      o.status_file = v;
    } else if (a == "--nofile") {
      o.nofile = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--fsize") {
      o.fsize = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--as") {
      o.as = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--max-procs") {
      o.max_procs = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--private-net") {
      o.private_net = v;
    } else {
      Usage();
    }
  }
  if (o.status_file.empty() || i >= argc) Usage();
  for (; i < argc; ++i) o.argv.push_back(argv[i]);
  o.argv.push_back(nullptr);
  return o;
}

// Runs in the forked child: only async-signal-safe calls until execv.
[[noreturn]] void ExecStudent(const Options& o, int error_pipe) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; ++s) sigaction(s, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // The student's tree gets its own process group, so a student's
  // kill(0, ...) cannot reach this init.
  setpgid(0, 0);
  auto limit = [](int resource, rlim_t value) {
    if (value == 0) return;
    rlimit l{value, value};
    setrlimit(resource, &l);
  };
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  limit(RLIMIT_NOFILE, o.nofile);
  limit(RLIMIT_FSIZE, o.fsize);
  limit(RLIMIT_AS, o.as);
  execv(o.argv[0], o.argv.data());
  int err = errno;
  (void)!write(error_pipe, &err, sizeof err);
  _exit(127);
}

// Moves this process (and so the whole tree it starts) into a network
// namespace of its own: only `lo`, brought up here, and socket buffers
// limited to `tcp_mem` so they cannot autotune to megabytes (a probe needs
// a server that is blocked writing after a few kilobytes). The sysctls under
// /proc/sys/net belong to the namespace of whoever opens them.
bool SetUpPrivateNetwork(const std::string& tcp_mem) {
  if (unshare(CLONE_NEWNET) != 0) return false;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool up = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  up = up && ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  close(fd);
  for (const char* name :
       {"/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem"}) {
    int f = open(name, O_WRONLY | O_CLOEXEC);
    bool ok = f >= 0 && write(f, tcp_mem.data(), tcp_mem.size()) ==
                            ssize_t(tcp_mem.size());
    if (f >= 0) close(f);
    up = up && ok;
  }
  return up;
}

struct Stray {
  ipclab::ProcInfo info;
  std::string cmdline;
};

// Stops, then kills, every descendant until none is left, reaping as it
// goes. SIGSTOP first so a fork loop cannot outrun the sweep.
void KillTree() {
  for (;;) {
    auto tree = ipclab::Descendants(getpid(), ipclab::ReadProcessTable());
    for (const auto& p : tree) {
      if (p.state != 'Z') kill(p.pid, SIGSTOP);
    }
    for (const auto& p : tree) kill(p.pid, SIGKILL);
    // Every listed process is dying, so a blocking wait returns soon; a
    // killed grandchild is reparented here and reaped in a later round.
    if (waitpid(-1, nullptr, 0) < 0 && errno == ECHILD) return;
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
}

void WriteStatus(const Options& o, const std::string& main_line, bool killed,
                 bool too_many, long long cpu_ms,
                 const std::vector<Stray>& strays) {
  std::string text = main_line + "\n";
  text += "killed " + std::to_string(killed ? 1 : 0) + "\n";
  if (too_many) text += "process_limit " + std::to_string(o.max_procs) + "\n";
  text += "cpu_ms " + std::to_string(cpu_ms) + "\n";
  for (const auto& s : strays) {
    text += "stray " + std::to_string(s.info.pid) + " " + s.info.state + " " +
            s.info.comm + "\t" + s.cmdline + "\n";
  }
  text += "end\n";
  int fd = open(o.status_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                0600);
  if (fd < 0) return;
  (void)!write(fd, text.data(), text.size());
  close(fd);
}

// Forks the main program; returns its pid and, once exec has happened or
// failed, the exec errno (0 on success). -1 if fork itself failed.
pid_t StartMain(const Options& o, int* exec_errno) {
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) return -1;
  pid_t main_pid = fork();
  if (main_pid < 0) return -1;
  if (main_pid == 0) ExecStudent(o, error_pipe[1]);
  close(error_pipe[1]);

  // Let go of the test's stdin/stdout/stderr: EOF and SIGPIPE must depend on
  // the student's processes alone.
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; ++fd) dup2(devnull, fd);

  // The pipe closes on a successful exec (CLOEXEC) with nothing written.
  if (read(error_pipe[0], exec_errno, sizeof *exec_errno) !=
      sizeof *exec_errno) {
    *exec_errno = 0;
  }
  close(error_pipe[0]);
  return main_pid;
}

// How the main program ended, and what it cost.
struct MainEnd {
  std::string line;  // "main exited N", "main signaled N", ...
  bool killed = false;
  bool too_many = false;
  long long cpu_ms = 0;
};

// Reaps the main process if it has ended (only it: orphans adopted from it
// stay, as zombies if they end, so that the children it never waited for
// are still there to be reported).
void ReapMain(pid_t main_pid, int exec_errno, MainEnd* end) {
  int wstatus;
  rusage usage{};
  while (wait4(main_pid, &wstatus, WNOHANG, &usage) > 0) {
    end->cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000LL +
                  (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000;
    if (exec_errno != 0) {
      end->line = "main exec_failed " + std::to_string(exec_errno);
    } else if (WIFSIGNALED(wstatus)) {
      end->line = "main signaled " + std::to_string(WTERMSIG(wstatus));
    } else {
      end->line = "main exited " + std::to_string(WEXITSTATUS(wstatus));
    }
  }
}

// Waits for the main program to end, the grader's signal, or (with a
// process limit) the tree to grow too big. Root ignores RLIMIT_NPROC, so a
// fork loop is stopped here instead: the tree is counted a few times a
// second, and killed once it is too big.
MainEnd WatchMain(const Options& o, const sigset_t& wanted, pid_t main_pid,
                  int exec_errno) {
  MainEnd end;
  const timespec check_every{0, 50'000'000};
  while (end.line.empty()) {
    siginfo_t info;
    int sig = o.max_procs ? sigtimedwait(&wanted, &info, &check_every)
                          : sigwaitinfo(&wanted, &info);
    if (sig < 0) {
      if (errno == EAGAIN &&
          ipclab::Descendants(getpid(), ipclab::ReadProcessTable()).size() >
              o.max_procs) {
        end.too_many = end.killed = true;
        KillTree();
        end.line = "main signaled " + std::to_string(SIGKILL);
      }
      continue;
    }
    if (sig != SIGCHLD) {
      // The grader's deadline or output cap: the whole tree goes, and the
      // main program counts as killed even if it was just finishing.
      end.killed = true;
      KillTree();
      end.line = "main signaled " + std::to_string(SIGKILL);
      break;
    }
    ReapMain(main_pid, exec_errno, &end);
  }
  return end;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  // If the grader dies, this tree must not live on.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  setsid();
  if (!o.private_net.empty() && !SetUpPrivateNetwork(o.private_net)) {
    // No status file: the grader reports that it could not run the test.
    std::fprintf(stderr, "ipclab-init: private network: %s\n",
                 std::strerror(errno));
    return 3;
  }

  sigset_t wanted;
  sigemptyset(&wanted);
  for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&wanted, s);
  sigprocmask(SIG_BLOCK, &wanted, nullptr);

  int exec_errno = 0;
  const pid_t main_pid = StartMain(o, &exec_errno);
  if (main_pid < 0) return 3;
  const MainEnd end = WatchMain(o, wanted, main_pid, exec_errno);
  std::vector<Stray> strays;
  if (!end.killed) {
    for (const auto& p :
         ipclab::Descendants(getpid(), ipclab::ReadProcessTable())) {
      strays.push_back({p, ipclab::ReadCmdline(p.pid)});
    }
  }
  KillTree();
  WriteStatus(o, end.line, end.killed, end.too_many, end.cpu_ms, strays);
  return 0;
}
