// The listening socket and the accept loop. See server.hpp.
#include "server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

// Fork mode's SIGCHLD handler: collects every child that has exited, so none
// stays a zombie (an exited process whose exit status nobody has read yet).
// It loops because standard signals do not queue: if ten children exit while
// one SIGCHLD is pending, the handler runs once, not ten times. WNOHANG keeps
// it from waiting for children that are still serving. waitpid() may change
// errno, which the code interrupted by this signal could be about to read.
void ReapChildren(int /*signal_number*/) {
  const int saved_errno = errno;
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  errno = saved_errno;
}

}  // namespace

Server::Server(const Options& options, int stop_fd)
    : options_(options),
      stop_fd_(stop_fd),
      queue_(static_cast<std::size_t>(options.queue)) {}

Server::~Server() {
  // Only matters if Start() or Run() ended early; otherwise already done.
  queue_.Close();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  if (listen_fd_ >= 0) close(listen_fd_);
}

bool Server::Listen() {
  const std::string where =
      options_.bind_address + ":" + std::to_string(options_.port);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options_.port);  // Network byte order.
  inet_pton(AF_INET, options_.bind_address.c_str(), &address.sin_addr);

  // Non-blocking: poll() may report a waiting connection that the client
  // resets before accept() runs. A blocking accept() would then wait for the
  // next client, deaf to SIGTERM; a non-blocking one returns EAGAIN.
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) {
    Warn("socket: " + ErrnoText());
    return false;
  }
  // Without SO_REUSEADDR, a restart on the same port fails with "Address
  // already in use" for about a minute, while the old connections sit in
  // TIME_WAIT.
  const int on = 1;
  if (setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
    Warn("setsockopt(SO_REUSEADDR): " + ErrnoText());
    return false;
  }
  if (bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address),
           sizeof address) < 0) {
    Warn("cannot listen on " + where + ": " + ErrnoText());
    return false;
  }
  // A generous backlog: connections the server is not accepting yet (e.g.
  // while the pool's queue is full) wait here, already connected.
  if (listen(listen_fd_, SOMAXCONN) < 0) {
    Warn("cannot listen on " + where + ": " + ErrnoText());
    return false;
  }
  // With port 0 the kernel chose the port at bind(); ask which one.
  socklen_t length = sizeof address;
  if (getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) <
      0) {
    Warn("getsockname: " + ErrnoText());
    return false;
  }
  port_ = ntohs(address.sin_port);
  return true;
}

bool Server::Start() {
  if (options_.mode == Mode::kFork) {
    struct sigaction action {};
    action.sa_handler = ReapChildren;
    sigemptyset(&action.sa_mask);
    // SA_RESTART: calls such as accept() resume after the handler instead of
    // failing with EINTR (poll() fails with EINTR regardless; the loops
    // below retry it). SA_NOCLDSTOP: stopped children are not news.
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    if (sigaction(SIGCHLD, &action, nullptr) < 0) {
      Warn("sigaction(SIGCHLD): " + ErrnoText());
      return false;
    }
  }
  if (options_.mode == Mode::kPool) {
    // All N workers exist before "listening on" is printed, and no thread
    // is ever created after that.
    try {
      for (int i = 0; i < options_.workers; ++i) {
        workers_.emplace_back([this] { WorkerLoop(); });
      }
    } catch (const std::system_error& error) {
      Warn(std::string("cannot start the worker threads: ") + error.what());
      return false;  // ~Server() stops and joins the workers already started.
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
    pollfd fds[2] = {};
    fds[0].fd = stop_fd_;
    fds[0].events = POLLIN;
    fds[1].fd = listen_fd_;
    fds[1].events = POLLIN;
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;  // A signal, e.g. SIGCHLD: just retry.
      Warn("poll: " + ErrnoText());
      return kFailed;
    }
    if (fds[0].revents != 0) return kStop;  // Checked first: stop wins.
    if (fds[1].revents == 0) continue;
    const int client_fd = accept(listen_fd_, nullptr, nullptr);
    if (client_fd >= 0) return client_fd;
    switch (errno) {
      case EBADF:
      case EINVAL:
      case ENOTSOCK:
      case EFAULT:
        // A bug in this program, not a problem with one client.
        Warn("accept: " + ErrnoText());
        return kFailed;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM: {
        // Out of fds or memory for now. The client stays in the backlog;
        // wait a little (still listening for stop) rather than spin.
        Warn("accept: " + ErrnoText() + " (retrying in 100 ms)");
        pollfd stop = {stop_fd_, POLLIN, 0};
        poll(&stop, 1, 100);
        continue;
      }
      default:
        // EAGAIN (the client left first), EINTR, ECONNABORTED, and the
        // network errors that `man 2 accept` says to treat like EAGAIN.
        continue;
    }
  }
}

// ---------------------------------------------------------------------------
// Fork mode: a child process per connection.

bool Server::RunForkMode() {
  while (true) {
    const int client_fd = AcceptClient();
    if (client_fd < 0) return client_fd == kStop;
    const pid_t pid = fork();
    if (pid < 0) {
      Warn("fork: " + ErrnoText());
      close(client_fd);  // The client sees EOF; the server goes on.
      continue;
    }
    if (pid == 0) ServeInChild(client_fd);
    // The child has its own copy now. The parent must close its copy: the
    // client gets EOF only when *every* copy is closed, and the parent would
    // also leak one fd per connection until it hit its fd limit.
    close(client_fd);
  }
}

void Server::ServeInChild(int client_fd) {
  // The listening socket is the parent's business. A child holding a copy
  // keeps the port listening after the parent has exited, so a restarted
  // server could not bind it until this client leaves.
  close(listen_fd_);
  // A SIGTERM sent to this child alone should end this child alone. With the
  // inherited handler it would write to the stop pipe, which the child
  // shares with the parent, and so shut down the whole server. The child
  // still watches the stop pipe, so it ends when the parent is stopped.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  ServeConnection(client_fd, stop_fd_);
  // _exit, never return or exit(): returning would make this child a second
  // server running the accept loop, and exit() would run the destructors of
  // the parent's objects (and flush its stdio buffers) in the child.
  _exit(0);
}

// ---------------------------------------------------------------------------
// Thread mode: a thread per connection.

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
      // Detached: nobody joins it, so its stack and other resources are
      // freed as soon as it returns. A thread that is neither detached nor
      // joined keeps its stack (8 MiB of address space) forever.
      std::thread([this, client_fd] {
        ServeConnection(client_fd, stop_fd_);
        SessionEnded();
      }).detach();
    } catch (const std::system_error& error) {
      Warn(std::string("cannot start a thread: ") + error.what());
      close(client_fd);  // The client sees EOF rather than silence.
      SessionEnded();
    }
  }
  // After a stop, every session sees stop_fd too and ends at once.
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

// ---------------------------------------------------------------------------
// Pool mode: N workers started by Start(), fed through queue_.

bool Server::RunPoolMode() {
  bool stopped = true;
  // Wait for room *before* accepting: with Q connections waiting, the
  // server stops calling accept() and new clients wait in the backlog.
  // Accepting first would hold a (Q+1)-th connection with nowhere to go.
  // After a stop, workers drain the queue quickly (their sessions see
  // stop_fd at once), so this wait cannot outlast a stop.
  while (queue_.WaitForRoom()) {
    const int client_fd = AcceptClient();
    if (client_fd < 0) {
      stopped = client_fd == kStop;
      break;
    }
    // This is the only producer and there was room, so Push() returns at
    // once; it fails only if the queue were closed.
    if (!queue_.Push(client_fd)) close(client_fd);
  }
  queue_.Close();
  for (std::thread& worker : workers_) worker.join();
  return stopped;
}

void Server::WorkerLoop() {
  int client_fd;
  while ((client_fd = queue_.Pop()) >= 0) ServeConnection(client_fd, stop_fd_);
}

}  // namespace echo
