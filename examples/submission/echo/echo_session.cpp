// The echo of one client connection.
#include "echo_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace echo {
namespace {

constexpr std::size_t kBufferSize = 64 * 1024;

}  // namespace

void ServeConnection(int client_fd, int stop_fd) {
  // non-blocking so read/write never get stuck, poll does all the waiting
  fcntl(client_fd, F_SETFL, fcntl(client_fd, F_GETFL) | O_NONBLOCK);

  std::array<char, kBufferSize> buffer;
  std::size_t begin = 0;  // buffer[begin, end) still has to go back
  std::size_t end = 0;
  bool client_done = false;

  while (true) {
    if (client_done && begin == end) {
      // all echoed: send our FIN so the client gets EOF
      shutdown(client_fd, SHUT_WR);
      break;
    }
    const bool can_read = !client_done && end < kBufferSize;
    pollfd fds[2];
    fds[0].fd = client_fd;
    fds[0].events = 0;
    if (can_read) fds[0].events |= POLLIN;
    if (begin < end) fds[0].events |= POLLOUT;
    fds[0].revents = 0;
    fds[1].fd = stop_fd;
    fds[1].events = POLLIN;
    fds[1].revents = 0;
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;  // server is stopping

    const short ready = fds[0].revents;
    if (can_read && (ready & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(client_fd, buffer.data() + end, kBufferSize - end);
      if (n > 0) {
        end += n;
      } else if (n == 0) {
        client_done = true;  // half-close, still echo what we have
      } else if (errno != EAGAIN && errno != EINTR) {
        break;  // reset
      }
    }
    if (begin < end && (ready & (POLLOUT | POLLHUP | POLLERR))) {
      // write what fits, the rest next time round (short writes are ok).
      // if the client is gone the read above will see it
      ssize_t n = write(client_fd, buffer.data() + begin, end - begin);
      if (n > 0) begin += n;
    }

    if (begin == end) {
      begin = end = 0;
    } else if (end == kBufferSize && begin > 0) {
      std::memmove(buffer.data(), buffer.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
  }
  close(client_fd);
}

}  // namespace echo
