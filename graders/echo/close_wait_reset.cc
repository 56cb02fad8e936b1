#include "echo/close_wait_reset.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <thread>

#include "core/proc_tree.h"
#include "echo/netns_client.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

// A small window towards the client, so the echo backs up at once.
constexpr int kClientReceiveBuffer = 4096;
constexpr std::size_t kStep = 2048;
// Unread input beyond this means the server skipped reading for two whole
// steps: it is blocked, not just late to read the latest one.
constexpr long kBacklog = 2 * kStep;
// A server still reading after this much holds the echo in memory: it is
// never blocked writing, and there is nothing to catch.
constexpr std::size_t kMostBytes = 1 << 20;

// Waits, looking at the sockets every millisecond, until `done()` holds or
// the deadline passes. Returns whether it holds.
template <typename Predicate>
bool WaitFor(Clock::time_point deadline, Predicate done) {
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// Sends all of `data` (the socket is non-blocking), waiting for room.
bool SendAll(TcpClient& c, const std::string& data,
             Clock::time_point deadline) {
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(c.fd(), data.data() + off, data.size() - off,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      off += std::size_t(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    pollfd p{c.fd(), POLLOUT, 0};
    if (Clock::now() >= deadline) return false;
    ::poll(&p, 1, 10);
  }
  return true;
}

// Phase 1: sends in small steps until the server's echo is stuck behind our
// shut window (zero-window probe timer on its socket) and its own input has
// begun to pile up unread. On loopback a send() has reached the server's
// socket when it returns, so its queues can be read at once.
Result<bool> FillUntilServerBlocks(ServerSession& s, TcpClient& c, int me) {
  const std::string chunk = EchoTestBytes(kStep, 7);
  for (std::size_t sent = 0; sent < kMostBytes; sent += kStep) {
    // A server that reads takes each step at once; one that has stopped
    // reading without echoing anything would hold the client to the end.
    if (!SendAll(c, chunk, SettleDeadline(s))) {
      return Error{"the server stopped reading after " + std::to_string(sent) +
                   " bytes, although it was not blocked echoing them"};
    }
    auto server = FindTcpSocket(s.pid, s.port, me);
    if (!server) return Error{"the server's side of the connection is gone"};
    if (server->timer == kTcpZeroWindowTimer && server->rx_queue > kBacklog) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ServerGone(ServerSession& s) {
  if (s.running->Finished()) return true;
  const ProcInfo main = ReadProcess(s.pid);
  return main.pid == 0 || main.state == 'Z';
}

Result<bool> ResetInCloseWait(ServerSession& s) {
  auto c = ConnectTo(s, kClientReceiveBuffer);
  if (!c) return c.error();
  const int me = c->local_port();
  auto filled = FillUntilServerBlocks(s, *c, me);
  if (!filled || !*filled) return filled;
  c->HalfClose();
  // Data and FIN acknowledged: the server's socket is in CLOSE_WAIT. More
  // than one byte unread (the FIN counts one) means the server has echoing
  // left to do, so it writes again after the reset.
  std::optional<TcpSocketState> server;
  const bool trapped = WaitFor(s.deadline, [&] {
    server = FindTcpSocket(s.pid, s.port, me);
    return !server || server->state != kTcpEstablished ||
           c->Unacknowledged() == 0;
  });
  if (!trapped) {
    auto client = FindTcpSocket(s.pid, me, s.port);
    return Error{
        "the server's socket never reached CLOSE_WAIT (unacknowledged: " +
        std::to_string(c->Unacknowledged()) + ", server state " +
        std::to_string(server ? server->state : -1) + ", unread " +
        std::to_string(server ? server->rx_queue : -1) + ", client timer " +
        std::to_string(client ? client->timer : -1) + ")"};
  }
  // Past CLOSE_WAIT (or gone): the server was not blocked after all; it
  // read and echoed everything and closed. Nothing to catch this time.
  if (!server || server->state != kTcpCloseWait || server->rx_queue <= 1) {
    return false;
  }
  c->Reset();
  // The server has dealt with the reset once it closed its socket (or died).
  WaitFor(SettleDeadline(s),
          [&] { return ServerGone(s) || !FindTcpSocket(s.pid, s.port, me); });
  return true;
}

}  // namespace ipclab
