// The echo of one client connection. See echo_session.hpp for what
// ServeConnection must do; this file is the same for all three modes.
#include "echo_session.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

namespace echo {
namespace {

// The most bytes held for one client (the buffer in the plan below). Keep it
// a local std::array (or char array) on the thread's stack, which is 8 MiB:
// a heap buffer per thread makes glibc reserve extra memory per thread.
[[maybe_unused]] constexpr std::size_t kBufferSize = 64 * 1024;

}  // namespace

void ServeConnection(int client_fd, [[maybe_unused]] int stop_fd) {
  // TODO(student): delete these three lines and write the loop planned below.
  std::fputs(
      "echo-server: not implemented yet: ServeConnection in "
      "echo_session.cpp (the echo loop)\n",
      stderr);
  close(client_fd);
  return;

  // TODO(student): the plan. Bytes received but not yet echoed wait in
  //   std::array<char, kBufferSize> buffer;
  //   std::size_t begin = 0, end = 0;  // buffer[begin, end) waits to be sent
  //   bool client_done = false;        // recv() has returned 0
  // Then loop:
  //   1. If client_done and begin == end: everything is echoed. Call
  //      shutdown(client_fd, SHUT_WR) and leave the loop. SHUT_WR sends our
  //      FIN right away, so the client reads EOF just after its last byte.
  //   2. poll() two struct pollfd, timeout -1 (wait as long as it takes):
  //        { client_fd, events: POLLIN  if !client_done && end < kBufferSize
  //                             | POLLOUT if begin < end }
  //        { stop_fd,   events: POLLIN }
  //      -1 with errno == EINTR (a signal arrived): go round again. Any other
  //      error: leave the loop.
  //   3. If stop_fd's revents is not 0: the server is stopping; leave.
  //   4. If you asked for POLLIN and the client's revents has POLLIN, POLLHUP
  //      or POLLERR:
  //        n = recv(client_fd, buffer.data() + end, kBufferSize - end,
  //                 MSG_DONTWAIT);
  //        n > 0:  end += n.
  //        n == 0: client_done = true. The client shut down its sending side
  //                ("half-close"); it still reads, so do NOT close yet: the
  //                bytes in the buffer must still go back.
  //        n < 0:  errno EINTR, EAGAIN or EWOULDBLOCK: nothing happened, go
  //                on. Anything else (ECONNRESET: the client reset the
  //                connection): leave the loop.
  //   5. If begin < end and revents has POLLOUT, POLLHUP or POLLERR:
  //        n = send(client_fd, buffer.data() + begin, end - begin,
  //                 MSG_NOSIGNAL | MSG_DONTWAIT);
  //        n >= 0: begin += n. send() may take fewer bytes than offered (a
  //                "short write"); the rest waits for the next round.
  //        n < 0:  EINTR, EAGAIN or EWOULDBLOCK: go on. Anything else (EPIPE,
  //                ECONNRESET: the client is gone): leave the loop.
  //   6. If begin == end, set both to 0. Else if end == kBufferSize and
  //      begin > 0, std::memmove the waiting bytes to the front (begin = 0),
  //      so that recv() has room again.
  // After the loop, on every path: close(client_fd). (The grader counts your
  // server's open fds over hundreds of connections, resets included.)
  //
  // Why poll() instead of "recv() a chunk, then send() all of it": a client
  // may send 10 MiB before it reads anything. A server stuck in a blocking
  // send-everything loop stops reading; the client's receive buffer and the
  // server's send buffer fill up, and then each side waits for the other
  // forever (a deadlock). Here the server reads whenever it has room and
  // writes whenever the socket can take more, so neither direction waits
  // for the other: that is "full duplex".
  //
  // Why stop reading when the buffer is full: TCP then tells the client to
  // slow down, instead of your server's memory growing without bound for a
  // client that sends but never reads.
  //
  // Why MSG_NOSIGNAL: without it, send() on a connection the client has
  // reset raises SIGPIPE, which kills the whole server (see main.cpp).
  // Why MSG_DONTWAIT: this one thread both reads and writes; it must never
  // block inside recv() or send(), only inside poll().
  //
  // The data are bytes, not text: NUL (0) and bytes >= 0x80 are echoed like
  // any other. Never use strlen(), printf("%s") or C strings on the buffer.
}

}  // namespace echo
