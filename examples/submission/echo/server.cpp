// The listening socket and the accept loop in each mode.
#include "server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "echo_session.hpp"

namespace echo {
namespace {

void Warn(const std::string& message) {
  std::fprintf(stderr, "echo-server: %s\n", message.c_str());
}

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

Server::Server(const Options& options, int stop_fd)
    : options_(options),
      stop_fd_(stop_fd),
      queue_(static_cast<std::size_t>(options.queue)) {}

Server::~Server() {
  queue_.Close();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  if (listen_fd_ >= 0) close(listen_fd_);
}

bool Server::Listen() {
  const std::string where =
      options_.bind_address + ":" + std::to_string(options_.port);
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (listen_fd_ == -1) {
    Warn("socket: " + ErrnoText());
    return false;
  }
  // so a restart on the same port works right away (TIME_WAIT)
  const int on = 1;
  if (setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1) {
    Warn("setsockopt: " + ErrnoText());
    return false;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options_.port);
  inet_pton(AF_INET, options_.bind_address.c_str(), &address.sin_addr);
  if (bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address),
           sizeof address) == -1) {
    Warn("cannot listen on " + where + ": " + ErrnoText());
    return false;
  }
  if (listen(listen_fd_, SOMAXCONN) == -1) {
    Warn("listen: " + ErrnoText());
    return false;
  }
  // port 0 -> find out which port we got
  socklen_t length = sizeof address;
  if (getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) ==
      -1) {
    Warn("getsockname: " + ErrnoText());
    return false;
  }
  port_ = ntohs(address.sin_port);
  return true;
}

bool Server::Start() {
  if (options_.mode == Mode::kPool) {
    try {
      for (int i = 0; i < options_.workers; i++) {
        workers_.emplace_back([this] { WorkerLoop(); });
      }
    } catch (const std::system_error& error) {
      Warn(std::string("cannot create worker: ") + error.what());
      return false;
    }
  }
  return true;
}

bool Server::Run() {
  switch (options_.mode) {
    case Mode::kFork:
      return RunForkMode();
    case Mode::kThread:
      return RunThreadMode();
    case Mode::kPool:
      return RunPoolMode();
  }
  return false;
}

int Server::AcceptClient() {
  while (true) {
    pollfd fds[2];
    fds[0] = {stop_fd_, POLLIN, 0};
    fds[1] = {listen_fd_, POLLIN, 0};
    if (poll(fds, 2, -1) == -1) {
      if (errno == EINTR) continue;
      Warn("poll: " + ErrnoText());
      return kFailed;
    }
    if (fds[0].revents != 0) return kStop;
    if (fds[1].revents == 0) continue;

    const int client_fd = accept(listen_fd_, nullptr, nullptr);
    if (client_fd >= 0) return client_fd;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
        errno == ECONNABORTED) {
      continue;  // client left before we got to it
    }
    if (errno == EMFILE || errno == ENFILE) {
      Warn("accept: " + ErrnoText());
      pollfd stop = {stop_fd_, POLLIN, 0};
      poll(&stop, 1, 100);  // don't spin, wait a bit
      continue;
    }
    Warn("accept: " + ErrnoText());
    return kFailed;
  }
}

// fork mode -----------------------------------------------------------------

bool Server::RunForkMode() {
  while (true) {
    const int client_fd = AcceptClient();
    if (client_fd < 0) return client_fd == kStop;
    const pid_t pid = fork();
    if (pid == -1) {
      Warn("fork: " + ErrnoText());
      close(client_fd);
      continue;
    }
    if (pid == 0) ServeInChild(client_fd);
    // parent: the child has its own copy. if we keep ours the client never
    // gets EOF
    close(client_fd);
  }
}

void Server::ServeInChild(int client_fd) {
  close(listen_fd_);  // only the parent accepts
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  ServeConnection(client_fd, stop_fd_);
  _exit(0);  // never go back into the accept loop
}

// thread mode ---------------------------------------------------------------

bool Server::RunThreadMode() {
  bool stopped = true;
  while (true) {
    const int client_fd = AcceptClient();
    if (client_fd < 0) {
      stopped = client_fd == kStop;
      break;
    }
    SessionStarted();
    try {
      // client_fd by value! detached so the thread cleans up after itself
      std::thread([this, client_fd] {
        ServeConnection(client_fd, stop_fd_);
        SessionEnded();
      }).detach();
    } catch (const std::system_error& error) {
      Warn(std::string("cannot create thread: ") + error.what());
      close(client_fd);
      SessionEnded();
    }
  }
  WaitForSessions();
  return stopped;
}

void Server::SessionStarted() {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  ++sessions_;
}

void Server::SessionEnded() {
  // Notify while holding the lock: once it is released, WaitForSessions()
  // may return and the Server be destroyed, so this thread must not touch
  // any member after that.
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  if (--sessions_ == 0) sessions_done_.notify_all();
}

void Server::WaitForSessions() {
  std::unique_lock<std::mutex> lock(sessions_mutex_);
  sessions_done_.wait(lock, [this] { return sessions_ == 0; });
}

// pool mode -----------------------------------------------------------------

bool Server::RunPoolMode() {
  bool stopped = true;
  while (queue_.WaitForRoom()) {
    const int client_fd = AcceptClient();
    if (client_fd < 0) {
      stopped = client_fd == kStop;
      break;
    }
    if (!queue_.Push(client_fd)) close(client_fd);
  }
  queue_.Close();
  for (std::thread& worker : workers_) worker.join();
  return stopped;
}

void Server::WorkerLoop() {
  int client_fd;
  while ((client_fd = queue_.Pop()) >= 0) {
    ServeConnection(client_fd, stop_fd_);
  }
}

}  // namespace echo
