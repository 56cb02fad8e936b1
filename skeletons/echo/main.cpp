// echo-server: a TCP echo server in three concurrency modes. Your starting
// point for the ipclab "echo" lab; the handout is labs/echo/README.md (or
// README.md here).
//
//   echo-server [--port PORT] [--mode fork|thread|pool] [--workers N]
//               [--queue Q] [--bind ADDR]
//
// What is already done for you: the command line (options.cpp), the usage
// message and exit codes, turning SIGINT/SIGTERM into something poll() can
// wait for (this file), the "listening on PORT" line, and the declarations
// in the .hpp files. What you write: the TODO(student) blocks, probably in
// this order:
//   1. server.cpp:           Server::Listen, then Server::AcceptClient.
//   2. echo_session.cpp:     ServeConnection, the echo loop itself.
//   3. server.cpp:           thread mode (RunThreadMode), the easiest one.
//   4. server.cpp:           fork mode (RunForkMode, ServeInChild, reaping).
//   5. connection_queue.cpp, then server.cpp: pool mode.
//   6. this file:            SIGPIPE.
// As shipped it builds and runs, but says "not implemented yet" and exits 1.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "options.hpp"
#include "server.hpp"

namespace {

constexpr int kStatusFailure = 1;  // The server could not start or go on.
constexpr int kStatusUsage = 2;    // Bad command line.

// The write end of the stop pipe. Set once, before the handlers that use it
// are installed, and never changed.
int g_stop_write_fd = -1;

// The SIGINT/SIGTERM handler. A handler may only call async-signal-safe
// functions, so it cannot, say, close sockets or notify a condition
// variable. It writes one byte to a pipe instead (the "self-pipe trick"):
// the read end, stop_fd, becomes readable, and every poll() in the server
// watches it. Nobody ever reads the byte, so stop_fd stays readable for good.
void RequestStop(int /*signal_number*/) {
  const int saved_errno = errno;  // write() may change it under our feet.
  const char byte = 's';
  // Non-blocking: should the pipe ever be full, the server is stopping
  // already and nothing is lost.
  const ssize_t written = write(g_stop_write_fd, &byte, 1);
  static_cast<void>(written);
  errno = saved_errno;
}

// Creates the stop pipe and installs RequestStop for SIGINT and SIGTERM.
// Returns the read end, or -1 after printing why.
int InstallStopHandler() {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK) < 0) {
    std::fprintf(stderr, "echo-server: pipe: %s\n", std::strerror(errno));
    return -1;
  }
  g_stop_write_fd = fds[1];
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(SIGINT, &action, nullptr) < 0 ||
      sigaction(SIGTERM, &action, nullptr) < 0) {
    std::fprintf(stderr, "echo-server: sigaction: %s\n", std::strerror(errno));
    return -1;
  }
  return fds[0];
}

}  // namespace

int main(int argc, char* argv[]) {
  const echo::ParseResult parsed = echo::ParseArguments(argc, argv);
  if (parsed.kind == echo::ParseResult::Kind::kHelp) {
    std::fputs(echo::UsageText(), stdout);
    return 0;
  }
  if (parsed.kind == echo::ParseResult::Kind::kError) {
    std::fprintf(stderr, "echo-server: %s\n%s", parsed.error.c_str(),
                 echo::UsageText());
    return kStatusUsage;
  }

  // TODO(student): make sure no client can kill the server with SIGPIPE.
  // Writing to a connection that the client has closed or reset raises
  // SIGPIPE, and its default action kills the whole process: every thread
  // and every other client with it. Either ignore it here, for the whole
  // process, with  signal(SIGPIPE, SIG_IGN);  or pass MSG_NOSIGNAL to every
  // send() on a socket (doing both is fine). Then a write to a vanished
  // client fails with EPIPE instead, and only that client's session ends.

  const int stop_fd = InstallStopHandler();
  if (stop_fd < 0) return kStatusFailure;

  echo::Server server(parsed.options, stop_fd);
  if (!server.Listen() || !server.Start()) return kStatusFailure;

  // The grader's only sign that the server is ready, and how it learns the
  // port. stdout is a pipe there, so it is block-buffered: flush, or the
  // line would sit in the buffer while the grader waits for it.
  std::printf("listening on %u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);

  // Returning from main() (rather than calling exit() in the handler) runs
  // ~Server(), which closes the socket; by then every thread has finished.
  return server.Run() ? 0 : kStatusFailure;
}
