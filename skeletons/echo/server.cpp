// The listening socket and the accept loop in each mode. See server.hpp.
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

[[maybe_unused]] std::string ErrnoText() { return std::strerror(errno); }

// [[maybe_unused]] below only keeps the compiler quiet while a function or
// parameter is still unused. Remove it once your code uses it.

// Fork mode's SIGCHLD handler: runs whenever a child has exited.
[[maybe_unused]] void ReapChildren(int /*signal_number*/) {
  // TODO(student): collect every child that has exited. An exited child
  // stays in the process table as a *zombie* until its parent reads its
  // status with waitpid(); with a child per connection, zombies pile up
  // until fork() fails.
  //   - Loop:  while (waitpid(-1, nullptr, WNOHANG) > 0) {}
  //     -1 means any child; WNOHANG returns 0 at once when no child has
  //     exited yet, instead of waiting for a child that is still serving.
  //   - Why a loop and not one wait(): standard signals do not queue. If ten
  //     children exit while a SIGCHLD is pending, this runs once, not ten
  //     times. The grader makes exactly that happen.
  //   - Save errno first and restore it last: the handler can interrupt the
  //     server between a failed call and the line that reads errno, and
  //     waitpid() changes errno.
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
  // TODO(student): delete these two lines, then create the socket as below.
  Warn(
      "not implemented yet: Server::Listen in server.cpp (socket, bind, "
      "listen on " +
      where + ")");
  return false;

  // TODO(student): on every failure below, Warn() what failed with
  // ErrnoText() and return false; main() then exits with status 1.
  // (~Server() closes listen_fd_.)
  //   1. listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  //      AF_INET: IPv4. SOCK_STREAM: TCP. SOCK_NONBLOCK: see AcceptClient().
  //   2. const int on = 1;
  //      setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  //      Without it, a server restarted on the same port fails with "Address
  //      already in use" for about a minute, while the old connections sit
  //      in the TIME_WAIT state. The grader restarts your server at once.
  //   3. sockaddr_in address{}; address.sin_family = AF_INET;
  //      address.sin_port = htons(options_.port);  // network byte order!
  //      inet_pton(AF_INET, options_.bind_address.c_str(),
  //                &address.sin_addr);  // the parser checked it is valid
  //   4. bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address),
  //           sizeof address)
  //      This is where a port in use (EADDRINUSE) or a port below 1024
  //      without root (EACCES) fails: Warn("cannot listen on " + where +
  //      ": " + ErrnoText()) and return false.
  //   5. listen(listen_fd_, SOMAXCONN): a generous backlog. Clients that the
  //      server has not accepted yet wait there, already connected.
  //   6. With --port 0 the kernel picked a port at bind(). Ask which:
  //      socklen_t length = sizeof address;
  //      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address),
  //                  &length);
  //      port_ = ntohs(address.sin_port);
  //   7. return true. main() then prints "listening on PORT".
}

bool Server::Start() {
  if (options_.mode == Mode::kFork) {
    // TODO(student): install ReapChildren as the SIGCHLD handler:
    //   struct sigaction action {};
    //   action.sa_handler = ReapChildren;
    //   sigemptyset(&action.sa_mask);
    //   action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    //   sigaction(SIGCHLD, &action, nullptr)   (-1: Warn, return false)
    // SA_RESTART: most calls the handler interrupts resume instead of
    // failing with EINTR (poll() fails with EINTR anyway; retry it).
    // SA_NOCLDSTOP: no SIGCHLD when a child is merely stopped.
  }
  if (options_.mode == Mode::kPool) {
    // TODO(student): start exactly options_.workers threads, each running
    // WorkerLoop():   workers_.emplace_back([this] { WorkerLoop(); });
    // All of them here, before "listening on" is printed: pool mode must
    // never create a thread after that (the grader counts them). If a thread
    // cannot be created, std::thread throws std::system_error: catch it,
    // Warn(error.what()) and return false.
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
  // TODO(student): delete these two lines and write the loop below.
  Warn("not implemented yet: Server::AcceptClient in server.cpp");
  return kFailed;

  // TODO(student): wait for a client or for a stop request, whichever comes
  // first. Loop:
  //   1. poll() two struct pollfd, both with events = POLLIN, timeout -1:
  //      stop_fd_ and listen_fd_. A listening socket is readable when a
  //      connection is waiting to be accepted. -1 with errno == EINTR (a
  //      signal, e.g. SIGCHLD): go round again. Other errors: Warn, return
  //      kFailed.
  //   2. stop_fd_'s revents is not 0: return kStop. Check this first.
  //   3. listen_fd_'s revents is not 0:
  //        client_fd = accept(listen_fd_, nullptr, nullptr);
  //      >= 0: return it. On -1, look at errno:
  //        EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED: go round again. (The
  //          client may leave between poll() and accept(). That is why the
  //          socket is non-blocking: a blocking accept() would then wait for
  //          the *next* client, and not notice SIGTERM meanwhile.)
  //        EMFILE, ENFILE (out of fds): Warn, wait 100 ms with
  //          poll() on stop_fd_ alone, then go round again; without the
  //          pause poll() reports the same waiting client at once: a spin.
  //        Anything else: Warn and return kFailed.
  // Why poll() at all: accept() alone returns only when a client comes, but
  // SIGTERM must stop the server within a second even if nobody connects.
  // The stop pipe (main.cpp) turns the signal into something poll() sees.
}

// ---------------------------------------------------------------------------
// Fork mode: a child process per connection.

bool Server::RunForkMode() {
  // TODO(student): delete these two lines and write the loop below.
  Warn("not implemented yet: fork mode (Server::RunForkMode in server.cpp)");
  return false;

  // TODO(student): loop:
  //   1. const int client_fd = AcceptClient();
  //      Negative: return client_fd == kStop (true: stopped by a signal).
  //   2. const pid_t pid = fork();
  //      -1: Warn, close(client_fd) (the client sees EOF), and go on: one
  //      failed fork must not end the server.
  //   3. pid == 0: this is the child: ServeInChild(client_fd) (never returns).
  //   4. In the parent: close(client_fd), right away. The child has its own
  //      copy, and a connection only really closes (the client only sees
  //      EOF) once *every* copy is closed: if the parent kept its copy, the
  //      client would wait forever after the child is done. The parent would
  //      also leak one fd per connection, until accept() fails with EMFILE.
  // The children are reaped by ReapChildren(), installed in Start().
}

void Server::ServeInChild([[maybe_unused]] int client_fd) {
  // TODO(student): this runs in the child. In order:
  //   1. close(listen_fd_). The child talks to one client only. A child that
  //      keeps the listening socket keeps the port listening even after the
  //      parent is gone, so a restarted server cannot bind it.
  //   2. signal(SIGINT, SIG_DFL); signal(SIGTERM, SIG_DFL);
  //      The child inherited main()'s stop handler, which writes to the stop
  //      pipe it shares with the parent: a SIGTERM to just this child would
  //      stop the whole server. (The child still watches the pipe, so it
  //      ends when the parent is stopped.)
  //   3. ServeConnection(client_fd, stop_fd_);
  //   4. _exit(0);  never return, never exit(): returning would take this
  //      child back into the accept loop (a second server!), and exit()
  //      would run the parent's destructors and flush its stdio buffers.
  _exit(0);
}

// ---------------------------------------------------------------------------
// Thread mode: a thread per connection.

bool Server::RunThreadMode() {
  // TODO(student): delete these two lines and write the loop below.
  Warn(
      "not implemented yet: thread mode (Server::RunThreadMode in "
      "server.cpp)");
  return false;

  // TODO(student): bool stopped = true; then loop:
  //   1. const int client_fd = AcceptClient();
  //      Negative: stopped = client_fd == kStop; leave the loop.
  //   2. SessionStarted(); then, inside try { }:
  //        std::thread([this, client_fd] {
  //          ServeConnection(client_fd, stop_fd_);
  //          SessionEnded();
  //        }).detach();
  //      Capture client_fd *by value* ([this, client_fd], never [&]): the
  //      thread may start only after the loop has already stored the next
  //      client's fd in that variable, and two threads would then serve one
  //      client while the other client waits forever.
  //      Why detach(): a thread that is neither joined nor detached keeps its
  //      stack (8 MiB of address space) after it ends; after a few hundred
  //      connections the server runs out of memory. (And destroying a
  //      std::thread that was neither joined nor detached calls
  //      std::terminate().)
  //      catch (const std::system_error& error): the thread could not be
  //      created: Warn(error.what()), close(client_fd), SessionEnded().
  //   After the loop: WaitForSessions(); return stopped;
  //   (After a stop every session sees stop_fd_ and ends at once. Waiting
  //   makes sure no thread still uses this Server when main() destroys it.)
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
// Pool mode: N workers started by Start(), fed through queue_ (write
// connection_queue.cpp first).

bool Server::RunPoolMode() {
  // TODO(student): delete these two lines and write the loop below.
  Warn("not implemented yet: pool mode (Server::RunPoolMode in server.cpp)");
  return false;

  // TODO(student): bool stopped = true; then
  //   while (queue_.WaitForRoom()) {
  //     const int client_fd = AcceptClient();
  //     negative: stopped = client_fd == kStop; break;
  //     if (!queue_.Push(client_fd)) close(client_fd);
  //   }
  //   queue_.Close(); join() every thread in workers_; return stopped;
  // Why wait for room *before* accept(): the queue holds at most Q (--queue)
  // connections. When it is full the server must stop calling accept(), so
  // that new clients wait in the kernel's listen backlog instead of piling
  // up in your server ("back-pressure"). Accepting first and then waiting
  // would hold Q + 1. Do not start a thread here either: exactly N workers.
  // Why this wait cannot hang after SIGTERM: the workers' sessions watch
  // stop_fd_ too, so they end at once, empty the queue and make room.
}

void Server::WorkerLoop() {
  // TODO(student): serve connections until the queue is closed:
  //   int client_fd;
  //   while ((client_fd = queue_.Pop()) >= 0) {
  //     ServeConnection(client_fd, stop_fd_);
  //   }
  // Pop() sleeps on a condition variable while the queue is empty: an idle
  // worker uses no CPU.
}

}  // namespace echo
