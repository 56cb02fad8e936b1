// The per-connection echo loop. See echo_session.hpp.
//
// Why poll() and not "read a chunk, write it all back": the client may send
// megabytes before it reads anything. A server that blocks in a write-all
// loop then stops reading; once the client's receive buffer and the server's
// send buffer are both full, each side waits for the other forever. With
// poll() the server reads whenever it has room and writes whenever the
// socket can take more, so the two directions never wait on each other.
#include "echo_session.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace echo {
namespace {

// The most bytes held for one client. When it is full the server stops
// reading, so TCP flow control slows the client down instead of the server's
// memory growing without bound while a client sends but does not read.
// It lives on the stack (a thread's stack is 8 MiB): a heap buffer would make
// glibc give each concurrent thread a malloc arena of its own, 64 MiB of
// address space each, which looks like a leak in VmSize although it is not.
constexpr std::size_t kBufferSize = 64 * 1024;

// Errors after which the same call may simply be tried again later.
bool IsTransient(int error) {
  return error == EINTR || error == EAGAIN || error == EWOULDBLOCK;
}

}  // namespace

void ServeConnection(int client_fd, int stop_fd) {
  // Bytes received but not yet echoed are buffer[begin, end).
  std::array<char, kBufferSize> buffer;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool client_done = false;  // recv() returned 0: the client sent its FIN.

  while (true) {
    if (client_done && begin == end) {
      // Everything is echoed. SHUT_WR sends our FIN at once, even if another
      // process still holds a copy of this socket, so the client reads EOF.
      // The client has already finished sending, so close() right after
      // discards nothing and cannot turn into a reset.
      shutdown(client_fd, SHUT_WR);
      break;
    }
    const bool want_read = !client_done && end < buffer.size();
    const bool want_write = begin < end;
    pollfd fds[2] = {};
    fds[0].fd = client_fd;
    fds[0].events = static_cast<short>((want_read ? POLLIN : 0) |
                                       (want_write ? POLLOUT : 0));
    fds[1].fd = stop_fd;
    fds[1].events = POLLIN;
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;  // e.g. SIGCHLD or SIGTERM arrived.
      break;
    }
    if (fds[1].revents != 0) break;  // Shutting down: drop the connection.
    const short events = fds[0].revents;
    if (events & POLLNVAL) break;

    // POLLHUP and POLLERR are reported even when not asked for; a recv() or
    // send() then returns 0 or the error, which is how we learn which it is.
    if (want_read && (events & (POLLIN | POLLHUP | POLLERR))) {
      // MSG_DONTWAIT: poll() said "readable", but never risk blocking here,
      // since this one thread also has to keep writing.
      const ssize_t n = recv(client_fd, buffer.data() + end,
                             buffer.size() - end, MSG_DONTWAIT);
      if (n > 0) {
        end += static_cast<std::size_t>(n);
      } else if (n == 0) {
        client_done = true;  // Half-close: keep echoing what is buffered.
      } else if (!IsTransient(errno)) {
        break;  // ECONNRESET and friends: only this connection is over.
      }
    }
    if (begin < end && (events & (POLLOUT | POLLHUP | POLLERR))) {
      // MSG_NOSIGNAL: writing to a connection the client has reset must
      // fail with EPIPE, not raise SIGPIPE, whose default action would kill
      // the whole server (every thread, every other client). main() also
      // ignores SIGPIPE; either one alone would do.
      const ssize_t n = send(client_fd, buffer.data() + begin, end - begin,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n >= 0) {
        begin += static_cast<std::size_t>(n);  // A short send is normal.
      } else if (!IsTransient(errno)) {
        break;  // EPIPE, ECONNRESET: the client is gone.
      }
    }
    // Keep the free space at the end of the buffer, where recv() writes.
    if (begin == end) {
      begin = end = 0;
    } else if (end == buffer.size() && begin > 0) {
      std::memmove(buffer.data(), buffer.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
  }
  close(client_fd);
}

}  // namespace echo
