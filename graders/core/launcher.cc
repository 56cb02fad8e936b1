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

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
// Boost 1.81 forgets this file in header-only mode: without it,
// process_environment::on_setup is an undefined reference.
#include <boost/process/v2/impl/environment.ipp>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/paths.h"
#include "core/proc_tree.h"

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

std::string FindInPath(const std::string& name,
                       const std::vector<std::string>& env) {
  std::string path_var = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : env) {
    if (kv.rfind("PATH=", 0) == 0) path_var = kv.substr(5);
  }
  std::stringstream dirs(path_var);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      struct stat st;
      if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        return candidate;
      }
    }
  }
  return {};
}

class RunningImpl : public Running {
 public:
  RunningImpl(pid_t init_pid, int stdin_fd, const std::string& out)
      : init_pid_(init_pid), stdin_fd_(stdin_fd), out_(out) {}
  ~RunningImpl() override { CloseStdin(); }

  // ipclab-init forks the main process a moment after it starts; look until
  // it is there or the run is over.
  pid_t MainPid() override {
    for (;;) {
      if (pid_t pid = FindMainPid(); pid != 0 || Finished()) return pid;
      WaitFinished(std::chrono::milliseconds(1));
    }
  }

  // Never blocks: the io thread uses it at the deadline.
  pid_t FindMainPid() {
    std::lock_guard lock(mu_);
    if (main_pid_ == 0) {
      for (const auto& p : ReadProcessTable()) {
        if (p.ppid == init_pid_) main_pid_ = p.pid;
      }
    }
    return main_pid_;
  }

  Status Write(std::string_view bytes) override {
    while (!bytes.empty()) {
      int fd = stdin_fd_.load();
      if (fd < 0) return Error{"standard input is closed"};
      ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error{ErrnoMessage("write to standard input", errno)};
      }
      bytes.remove_prefix(n);
    }
    return {};
  }

  void CloseStdin() override {
    int fd = stdin_fd_.exchange(-1);
    if (fd >= 0) ::close(fd);
  }

  bool Finished() override {
    std::lock_guard lock(mu_);
    return finished_;
  }

  bool WaitFinished(std::chrono::milliseconds limit) override {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return finished_; });
  }

  std::string Stdout() override {
    std::lock_guard lock(output_mu_);
    return out_;
  }

  bool WaitForStdout(const std::function<bool(const std::string&)>& ready,
                     std::chrono::milliseconds limit) override {
    const auto until = std::chrono::steady_clock::now() + limit;
    std::unique_lock lock(output_mu_);
    for (;;) {
      if (ready(out_)) return true;
      if (Finished()) return ready(out_);
      if (output_cv_.wait_until(lock, until) == std::cv_status::timeout) {
        return ready(out_);
      }
    }
  }

  Status Signal(int sig) override {
    pid_t main = FindMainPid();
    if (main == 0 || Finished()) return Error{"the program is not running"};
    if (::kill(main, sig) != 0) return Error{ErrnoMessage("kill", errno)};
    return {};
  }

  void Stop() override {
    stopped_ = true;
    if (!Finished()) ::kill(init_pid_, SIGTERM);
  }

  bool stopped() const { return stopped_; }
  std::mutex& output_mutex() { return output_mu_; }
  void NotifyOutput() {
    std::lock_guard lock(output_mu_);
    output_cv_.notify_all();
  }

  void MarkFinished() {
    {
      std::lock_guard lock(mu_);
      finished_ = true;
      cv_.notify_all();
    }
    NotifyOutput();
  }

 private:
  const pid_t init_pid_;
  std::atomic<int> stdin_fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool finished_ = false;
  pid_t main_pid_ = 0;
  std::atomic<bool> stopped_{false};
  // Guards the stdout text the io thread appends to while a driver reads.
  const std::string& out_;
  std::mutex output_mu_;
  std::condition_variable output_cv_;
};

// Reads one stream into `keep`, at most `cap` bytes; counts everything.
class Drain {
 public:
  // `mu` guards `keep` against a driver reading it meanwhile; `on_data`
  // wakes such a reader.
  Drain(asio::readable_pipe& pipe, std::string& keep, std::size_t& total,
        std::size_t cap, std::mutex& mu, std::function<void()> on_data,
        std::function<void()> on_cap, std::function<void()> on_eof)
      : pipe_(pipe),
        keep_(keep),
        total_(total),
        cap_(cap),
        mu_(mu),
        on_data_(std::move(on_data)),
        on_cap_(std::move(on_cap)),
        on_eof_(std::move(on_eof)) {}
  void Start() {
    pipe_.async_read_some(
        asio::buffer(buf_), [this](bp::error_code ec, std::size_t n) {
          if (ec) {  // EOF, or closed by the drain limit.
            on_eof_();
            return;
          }
          {
            std::lock_guard lock(mu_);
            total_ += n;
            std::size_t room = cap_ - std::min(cap_, keep_.size());
            keep_.append(buf_.data(), std::min(n, room));
          }
          on_data_();
          if (total_ > cap_ && on_cap_) {
            on_cap_();
            on_cap_ = nullptr;
          }
          Start();
        });
  }

 private:
  asio::readable_pipe& pipe_;
  std::string& keep_;
  std::size_t& total_;
  const std::size_t cap_;
  std::mutex& mu_;
  std::function<void()> on_data_;
  std::function<void()> on_cap_;
  std::function<void()> on_eof_;
  std::array<char, 65536> buf_;
};

void ParseStatusFile(const std::string& path, LaunchResult* r, bool* complete) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string key;
    s >> key;
    if (key == "main") {
      std::string how;
      int value = 0;
      s >> how >> value;
      if (how == "exited") {
        r->status = ExitStatus::Exited(value);
      } else if (how == "signaled") {
        r->status = ExitStatus::Signaled(value);
      } else if (how == "exec_failed") {
        r->termination = Termination::kNotStarted;
        r->exec_error = std::strerror(value);
        r->status = ExitStatus::Exited(127);
      }
    } else if (key == "process_limit") {
      r->termination = Termination::kProcessLimit;
    } else if (key == "cpu_ms") {
      s >> r->cpu_ms;
    } else if (key == "stray") {
      Stray st;
      s >> st.pid >> st.state;
      std::string rest;
      std::getline(s, rest);
      auto tab = rest.find('\t');
      st.comm = rest.substr(
          1, tab == std::string::npos ? std::string::npos : tab - 1);
      if (tab != std::string::npos) st.cmdline = rest.substr(tab + 1);
      r->strays.push_back(st);
    } else if (key == "end") {
      *complete = true;
    }
  }
}

// Settles the one termination (see launcher.h for the order) and records
// what was enforced. ParseStatusFile has already set kNotStarted or
// kProcessLimit, which come first.
void Conclude(const LaunchSpec& spec, std::optional<Termination> cut_short,
              bool stopped, LaunchResult* r) {
  if (r->termination != Termination::kNotStarted &&
      r->termination != Termination::kProcessLimit) {
    if (cut_short) {
      r->termination = *cut_short;
    } else if (stopped) {
      r->termination = Termination::kStopped;
    } else {
      r->termination =
          r->status.signaled() ? Termination::kSignalled : Termination::kExited;
    }
  }
  r->timed_out = r->termination == Termination::kDeadline;
  r->output_limited = r->termination == Termination::kOutputLimit;
  r->exec_failed = r->termination == Termination::kNotStarted;
  r->stopped = r->termination == Termination::kStopped;
  r->process_limited = r->termination == Termination::kProcessLimit;
  r->deadline = spec.timeout;
  r->output_cap = spec.output_cap;
  r->limits = spec.limits;
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

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() &&
                 a.find_first_not_of(
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                     "OPQRSTUVWXYZ0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
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
  std::string exe = spec.argv[0];
  if (exe.find('/') == std::string::npos) {
    exe = FindInPath(exe, env);
    if (exe.empty()) {
      result.termination = Termination::kNotStarted;
      result.exec_error = "command not found: " + spec.argv[0];
      result.status = ExitStatus::Exited(127);
      Conclude(spec, std::nullopt, false, &result);
      return result;
    }
  } else {
    std::error_code ec;
    exe = std::filesystem::absolute(exe, ec).string();
  }

  char status_path[] = "/tmp/ipclab-status-XXXXXX";
  int status_fd = ::mkstemp(status_path);
  if (status_fd < 0) return Error{ErrnoMessage("mkstemp", errno)};
  ::close(status_fd);
  struct RemoveOnExit {
    const char* path;
    ~RemoveOnExit() { ::unlink(path); }
  } remove_status{status_path};

  std::vector<std::string> args = {"--status", status_path};
  args.insert(args.end(), {"--nofile", std::to_string(spec.limits.open_files)});
  args.insert(args.end(), {"--fsize", std::to_string(spec.limits.file_size)});
  if (spec.limits.processes != 0) {
    args.insert(args.end(),
                {"--max-procs", std::to_string(spec.limits.processes)});
  }
  if (spec.limits.address_space != 0) {
    args.insert(args.end(),
                {"--as", std::to_string(spec.limits.address_space)});
  }
  if (!spec.private_network.empty()) {
    args.insert(args.end(), {"--private-net", spec.private_network});
  }
  args.push_back("--");
  args.push_back(exe);
  args.insert(args.end(), spec.argv.begin() + 1, spec.argv.end());

  // Standard input is always a plain fd for the child; the grader keeps the
  // write end of a pipe when it feeds bytes or runs a driver.
  int child_stdin = -1, feed_fd = -1;
  if (!spec.stdin_file.empty()) {
    child_stdin = ::open(spec.stdin_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (child_stdin < 0) {
      return Error{ErrnoMessage("open " + spec.stdin_file.string(), errno)};
    }
  } else if (spec.stdin_bytes || spec.driver) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{ErrnoMessage("pipe", errno)};
    child_stdin = fds[0];
    feed_fd = fds[1];
  } else {
    child_stdin = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }

  asio::io_context ctx;
  asio::readable_pipe out(ctx), err(ctx);
  std::fflush(nullptr);
  const auto start = std::chrono::steady_clock::now();
  std::optional<bp::process> proc;
  try {
    proc.emplace(
        ctx, init.string(), args, bp::process_stdio{child_stdin, out, err},
        bp::process_environment(env),
        bp::process_start_dir(spec.cwd.empty()
                                  ? std::filesystem::current_path().string()
                                  : spec.cwd.string()),
        ResetSignalsInit{}, CloseFdsInit{});
  } catch (const std::exception& e) {
    ::close(child_stdin);
    if (feed_fd >= 0) ::close(feed_fd);
    return Error{std::string("cannot start ipclab-init: ") + e.what()};
  }
  ::close(child_stdin);
  const pid_t init_pid = proc->id();

  RunningImpl running(init_pid, spec.driver ? feed_fd : -1, result.out);
  std::optional<asio::writable_pipe> feeder;
  std::string feed_bytes;
  if (spec.stdin_bytes && !spec.driver) {
    feeder.emplace(ctx, feed_fd);
    feed_bytes = *spec.stdin_bytes;
    asio::async_write(*feeder, asio::buffer(feed_bytes),
                      [&](bp::error_code, std::size_t) { feeder->close(); });
  }

  bool kill_sent = false;
  auto kill_tree = [&] {
    if (kill_sent) return;
    kill_sent = true;
    ::kill(init_pid, SIGTERM);
  };

  asio::steady_timer deadline(ctx, spec.timeout);
  asio::steady_timer backstop(ctx);
  asio::steady_timer drain_limit(ctx);
  bool exited = false;
  // The first of the grader's reasons to end the run is its termination.
  std::optional<Termination> cut_short;
  deadline.async_wait([&](bp::error_code ec) {
    if (ec || exited) return;
    if (!cut_short) cut_short = Termination::kDeadline;
    if (spec.before_kill) spec.before_kill(running.FindMainPid());
    kill_tree();
    // ipclab-init should be gone in milliseconds; if not, force it.
    backstop.expires_after(std::chrono::seconds(5));
    backstop.async_wait([&](bp::error_code ec2) {
      if (ec2 || exited) return;
      ::kill(-init_pid, SIGKILL);
      ::kill(init_pid, SIGKILL);
    });
  });

  auto on_cap = [&] {
    if (!cut_short) cut_short = Termination::kOutputLimit;
    kill_tree();
  };
  int open_streams = 2;
  auto on_eof = [&] {
    if (--open_streams == 0) drain_limit.cancel();
  };
  std::mutex err_mu;  // Nobody reads stderr while the program runs.
  Drain drain_out(
      out, result.out, result.out_bytes, spec.output_cap,
      running.output_mutex(), [&] { running.NotifyOutput(); }, on_cap, on_eof);
  Drain drain_err(
      err, result.err, result.err_bytes, spec.output_cap, err_mu, [] {}, on_cap,
      on_eof);
  drain_out.Start();
  drain_err.Start();

  int init_status = -1;
  proc->async_wait([&](bp::error_code, int code) {
    exited = true;
    init_status = code;
    running.MarkFinished();
    deadline.cancel();
    backstop.cancel();
    // Everything in the tree is dead now, so the pipes are at EOF; this only
    // guards against a kernel surprise.
    if (open_streams == 0) return;
    drain_limit.expires_after(std::chrono::seconds(2));
    drain_limit.async_wait([&](bp::error_code ec) {
      if (ec) return;
      bp::error_code ignored;
      out.close(ignored);
      err.close(ignored);
    });
  });

  std::thread driver_thread;
  if (spec.driver) {
    driver_thread = std::thread([&] { spec.driver(running); });
  }
  ctx.run();
  if (driver_thread.joinable()) driver_thread.join();
  running.CloseStdin();
  if (feeder && feeder->is_open()) feeder->close();
  if (!spec.driver && !feeder && feed_fd >= 0) ::close(feed_fd);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  bool complete = false;
  ParseStatusFile(status_path, &result, &complete);
  if (!complete || init_status != 0) {
    return Error{"ipclab-init did not report on " + ShellQuote(spec.argv) +
                 " (status " + std::to_string(init_status) + ")"};
  }
  Conclude(spec, cut_short, running.stopped(), &result);
  return result;
}

}  // namespace ipclab
