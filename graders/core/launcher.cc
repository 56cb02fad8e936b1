// Implementation notes. Every run goes through ipclab-init (see
// init_main.cc), started with Boost.Process v2 on a private io_context, so
// launches on several threads never share state. The grader enforces the
// deadline with its own timer and asks ipclab-init (SIGTERM) to kill the
// tree; a backstop SIGKILL follows if init does not finish. stdout and
// stderr are drained concurrently and capped. Boost 1.81 pitfalls handled
// here (docs/architecture.md, "Running student code"): fds below the launcher's
// error pipe leak into the child (CloseFdsInit closes them), exit_code() merges
// signals (we decode the raw status ourselves, inside ipclab-init), and the
// parent's stdio is flushed before forking because a failed exec calls exit().
#include "core/launcher.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
// Boost 1.81 forgets this file in header-only mode: without it,
// process_environment::on_setup is an undefined reference.
#include <boost/process/v2/impl/environment.ipp>
#include <csignal>
#include <cstdio>
#include <thread>

#include "core/launch_setup.h"
#include "core/paths.h"
#include "core/running_impl.h"
#include "core/shell_quote.h"

namespace ipclab {
namespace {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

// Boost 1.81's close_all skips every fd below its error pipe; this closes
// everything the launcher does not whitelist, so a test running in parallel
// never leaks its pipes into another test's process.
struct CloseFdsInit {
  bp::error_code on_exec_setup(bp::posix::default_launcher& launcher,
                               const bp::filesystem::path&,
                               const char* const*) {
    auto& keep = launcher.fd_whitelist;
    std::sort(keep.begin(), keep.end());
    unsigned low = 3;
    for (int fd : keep) {
      if (fd < int(low)) continue;
      if (unsigned(fd) > low) ::close_range(low, fd - 1, 0);
      low = fd + 1;
    }
    ::close_range(low, ~0U, 0);
    return {};
  }
};

// ipclab-init waits for signals with sigwaitinfo; an ignored or blocked
// signal inherited from the grader would never arrive.
struct ResetSignalsInit {
  bp::error_code on_exec_setup(bp::posix::default_launcher&,
                               const bp::filesystem::path&,
                               const char* const*) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    return {};
  }
};

// One run of ipclab-init, from fork to the last byte of output: the
// io_context, both output drains, the deadline and its backstop, the
// stdin feeder and the driver thread. The first of the grader's reasons to
// end the run (deadline, output cap) becomes its termination.
class Session {
 public:
  Session(const LaunchSpec& spec, LaunchResult* result)
      : spec_(spec), result_(*result), out_(ctx_), err_(ctx_) {}

  Status Start(const std::filesystem::path& init,
               const std::vector<std::string>& args,
               const std::vector<std::string>& env, StdinSource in) {
    std::fflush(nullptr);  // A failed exec calls exit() in the child.
    start_ = std::chrono::steady_clock::now();
    try {
      proc_.emplace(
          ctx_, init.string(), args, bp::process_stdio{in.child, out_, err_},
          bp::process_environment(env),
          bp::process_start_dir(spec_.cwd.empty()
                                    ? std::filesystem::current_path().string()
                                    : spec_.cwd.string()),
          ResetSignalsInit{}, CloseFdsInit{});
    } catch (const std::exception& e) {
      ::close(in.child);
      if (in.feed >= 0) ::close(in.feed);
      return Error{std::string("cannot start ipclab-init: ") + e.what()};
    }
    ::close(in.child);
    init_pid_ = proc_->id();
    feed_fd_ = in.feed;
    running_.emplace(init_pid_, spec_.driver ? feed_fd_ : -1, result_.out);
    return {};
  }

  // Runs until ipclab-init has exited and both streams are drained.
  void Run() {
    FeedStdin();
    ArmDeadline();
    StartDrains();
    WatchExit();
    std::thread driver;
    if (spec_.driver) driver = std::thread([&] { spec_.driver(*running_); });
    ctx_.run();
    if (driver.joinable()) driver.join();
    running_->CloseStdin();
    if (feeder_ && feeder_->is_open()) feeder_->close();
    if (!spec_.driver && !feeder_ && feed_fd_ >= 0) ::close(feed_fd_);
    result_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
  }

  int init_status() const { return init_status_; }
  std::optional<Termination> cut_short() const { return cut_short_; }
  bool stopped() const { return running_->stopped(); }

 private:
  // Bytes for stdin are written asynchronously, so a program that does not
  // read them cannot block the grader.
  void FeedStdin() {
    if (!spec_.stdin_bytes || spec_.driver) return;
    feeder_.emplace(ctx_, feed_fd_);
    feed_bytes_ = *spec_.stdin_bytes;
    asio::async_write(*feeder_, asio::buffer(feed_bytes_),
                      [&](bp::error_code, std::size_t) { feeder_->close(); });
  }

  void KillTree() {
    if (kill_sent_) return;
    kill_sent_ = true;
    ::kill(init_pid_, SIGTERM);  // ipclab-init kills the whole tree.
  }

  void ArmDeadline() {
    deadline_.expires_after(spec_.timeout);
    deadline_.async_wait([&](bp::error_code ec) {
      if (ec || exited_) return;
      if (!cut_short_) cut_short_ = Termination::kDeadline;
      if (spec_.before_kill) spec_.before_kill(running_->FindMainPid());
      KillTree();
      // ipclab-init should be gone in milliseconds; if not, force it.
      backstop_.expires_after(std::chrono::seconds(5));
      backstop_.async_wait([&](bp::error_code ec2) {
        if (ec2 || exited_) return;
        ::kill(-init_pid_, SIGKILL);
        ::kill(init_pid_, SIGKILL);
      });
    });
  }

  void StartDrains() {
    auto on_cap = [&] {
      if (!cut_short_) cut_short_ = Termination::kOutputLimit;
      KillTree();
    };
    auto on_eof = [&] {
      if (--open_streams_ == 0) drain_limit_.cancel();
    };
    drain_out_.emplace(
        out_, result_.out, result_.out_bytes, spec_.output_cap,
        running_->output_mutex(), [&] { running_->NotifyOutput(); }, on_cap,
        on_eof);
    drain_err_.emplace(
        err_, result_.err, result_.err_bytes, spec_.output_cap, err_mu_, [] {},
        on_cap, on_eof);
    drain_out_->Start();
    drain_err_->Start();
  }

  void WatchExit() {
    proc_->async_wait([&](bp::error_code, int code) {
      exited_ = true;
      init_status_ = code;
      running_->MarkFinished();
      deadline_.cancel();
      backstop_.cancel();
      // Everything in the tree is dead now, so the pipes are at EOF; this
      // only guards against a kernel surprise.
      if (open_streams_ == 0) return;
      drain_limit_.expires_after(std::chrono::seconds(2));
      drain_limit_.async_wait([&](bp::error_code ec) {
        if (ec) return;
        bp::error_code ignored;
        out_.close(ignored);
        err_.close(ignored);
      });
    });
  }

  const LaunchSpec& spec_;
  LaunchResult& result_;
  asio::io_context ctx_;
  asio::readable_pipe out_, err_;
  asio::steady_timer deadline_{ctx_}, backstop_{ctx_}, drain_limit_{ctx_};
  std::optional<bp::process> proc_;
  std::optional<RunningImpl> running_;
  std::optional<Drain> drain_out_, drain_err_;
  std::optional<asio::writable_pipe> feeder_;
  std::string feed_bytes_;
  std::mutex err_mu_;  // Nobody reads stderr while the program runs.
  std::chrono::steady_clock::time_point start_;
  pid_t init_pid_ = 0;
  int feed_fd_ = -1;
  int init_status_ = -1;
  int open_streams_ = 2;
  bool kill_sent_ = false;
  bool exited_ = false;
  std::optional<Termination> cut_short_;
};

// A mkstemp file for ipclab-init's report, removed when the launch is over.
class StatusFile {
 public:
  StatusFile() {
    const int fd = ::mkstemp(path_);
    if (fd >= 0) {
      ::close(fd);
      ok_ = true;
    }
  }
  ~StatusFile() {
    if (ok_) ::unlink(path_);
  }
  bool ok() const { return ok_; }
  const char* path() const { return path_; }

 private:
  char path_[32] = "/tmp/ipclab-status-XXXXXX";
  bool ok_ = false;
};

// The program to hand to ipclab-init: argv[0] as a path, or looked up in
// the environment's PATH; empty if it does not exist.
std::string ResolveProgram(const LaunchSpec& spec,
                           const std::vector<std::string>& env) {
  const std::string& exe = spec.argv[0];
  if (exe.find('/') == std::string::npos) return FindInPath(exe, env);
  std::error_code ec;
  return std::filesystem::absolute(exe, ec).string();
}

}  // namespace

bool EndedByLimit(Termination t) {
  return t == Termination::kDeadline || t == Termination::kOutputLimit ||
         t == Termination::kProcessLimit || t == Termination::kMemoryLimit;
}

std::vector<std::string> ScrubbedEnvironment() {
  return {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C",
          "LC_ALL=C", "TERM=dumb"};
}

Status PrivateNetworkUsable() {
  // Tried once, in a child: unshare() would move the calling thread of the
  // grader itself. The child makes only system calls before _exit.
  static const int error = [] {
    pid_t pid = ::fork();
    if (pid < 0) return errno;
    if (pid == 0) _exit(::unshare(CLONE_NEWNET) == 0 ? 0 : errno);
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return EIO;
    return WEXITSTATUS(status);
  }();
  if (error == 0) return {};
  return Error{
      ErrnoMessage("cannot make a private network namespace (it "
                   "needs root, or CAP_SYS_ADMIN)",
                   error)};
}

Result<LaunchResult> Launch(const LaunchSpec& spec) {
  // A child that dies while we write its stdin must give us EPIPE, not kill
  // the grader.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { std::signal(SIGPIPE, SIG_IGN); });

  if (spec.argv.empty()) return Error{"Launch: empty command"};
  const auto init = BinDir() / "ipclab-init";
  if (::access(init.c_str(), X_OK) != 0) {
    return Error{ErrnoMessage("cannot run " + init.string(), errno)};
  }
  const auto env = spec.env.empty() ? ScrubbedEnvironment() : spec.env;
  LaunchResult result;
  const std::string exe = ResolveProgram(spec, env);
  if (exe.empty()) {
    result.termination = Termination::kNotStarted;
    result.exec_error = "command not found: " + spec.argv[0];
    result.status = ExitStatus::Exited(127);
    Conclude(spec, std::nullopt, false, &result);
    return result;
  }
  StatusFile status;
  if (!status.ok()) return Error{ErrnoMessage("mkstemp", errno)};
  auto in = OpenStdin(spec);
  if (!in) return in.error();

  Session session(spec, &result);
  Status started =
      session.Start(init, InitArgs(spec, status.path(), exe), env, *in);
  if (!started.ok()) return started.error();
  session.Run();

  bool complete = false;
  ParseStatusFile(status.path(), &result, &complete);
  if (!complete || session.init_status() != 0) {
    return Error{"ipclab-init did not report on " + ShellQuote(spec.argv) +
                 " (status " + std::to_string(session.init_status()) + ")"};
  }
  Conclude(spec, session.cut_short(), session.stopped(), &result);
  return result;
}

}  // namespace ipclab
