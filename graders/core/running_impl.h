// What a driver holds while its program runs (launcher.h's Running), and
// the drain that reads one of the program's output streams. Internal to the
// launcher: only launcher.cc includes this.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "core/launcher.h"
#include "core/proc_tree.h"

namespace ipclab {

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
  Drain(boost::asio::readable_pipe& pipe, std::string& keep, std::size_t& total,
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
    pipe_.async_read_some(boost::asio::buffer(buf_),
                          [this](boost::system::error_code ec, std::size_t n) {
                            if (ec) {  // EOF, or closed by the drain limit.
                              on_eof_();
                              return;
                            }
                            {
                              std::lock_guard lock(mu_);
                              total_ += n;
                              std::size_t room =
                                  cap_ - std::min(cap_, keep_.size());
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
  boost::asio::readable_pipe& pipe_;
  std::string& keep_;
  std::size_t& total_;
  const std::size_t cap_;
  std::mutex& mu_;
  std::function<void()> on_data_;
  std::function<void()> on_cap_;
  std::function<void()> on_eof_;
  std::array<char, 65536> buf_;
};

}  // namespace ipclab
