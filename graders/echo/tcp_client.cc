#include "echo/tcp_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ipclab {
namespace {

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - Clock::now());
  return int(std::clamp<long long>(left.count(), 0, 60'000));
}

}  // namespace

TcpClient::~TcpClient() { Close(); }

TcpClient::TcpClient(TcpClient&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

TcpClient& TcpClient::operator=(TcpClient&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void TcpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void TcpClient::Reset() {
  if (fd_ < 0) return;
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  Close();
}

int TcpClient::local_port() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return -1;
  }
  return ntohs(addr.sin_port);
}

void TcpClient::HalfClose() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

int TcpClient::Unacknowledged() const {
  int n = 0;
  return ::ioctl(fd_, SIOCOUTQ, &n) == 0 ? n : -1;
}

Result<TcpClient> TcpClient::Connect(int port, Clock::time_point deadline,
                                     int rcvbuf) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Error{ErrnoMessage("socket", errno)};
  TcpClient client(fd);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (rcvbuf > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    return client;
  }
  if (errno != EINPROGRESS) {
    return Error{
        ErrnoMessage("connect to port " + std::to_string(port), errno)};
  }
  pollfd p{fd, POLLOUT, 0};
  int n = ::poll(&p, 1, MillisLeft(deadline));
  if (n == 0) {
    return Error{"connect to port " + std::to_string(port) + " timed out"};
  }
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    return Error{ErrnoMessage("connect to port " + std::to_string(port), err)};
  }
  return client;
}

ExchangeResult TcpClient::Exchange(const std::string& data,
                                   const ExchangeOptions& o,
                                   Clock::time_point deadline) {
  ExchangeResult r;
  const auto start = Clock::now();
  bool write_closed = false;
  char buf[65536];
  for (;;) {
    const bool want_write = r.sent < data.size();
    if (!want_write && o.half_close && !write_closed) {
      ::shutdown(fd_, SHUT_WR);
      write_closed = true;
    }
    if (!o.await_eof && r.received.size() >= data.size()) {
      r.end = ExchangeEnd::kGotAll;
      break;
    }
    pollfd p{fd_, short(POLLIN | (want_write ? POLLOUT : 0)), 0};
    int n = ::poll(&p, 1, MillisLeft(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      r.end = ExchangeEnd::kTimeout;
      break;
    }
    if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
      ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
      if (got > 0) {
        r.received.append(buf, got);
      } else if (got == 0) {
        r.end = ExchangeEnd::kEof;
        break;
      } else if (errno != EAGAIN && errno != EINTR) {
        r.end = errno == ECONNRESET ? ExchangeEnd::kReset : ExchangeEnd::kError;
        r.error = std::strerror(errno);
        break;
      }
    }
    if (want_write && (p.revents & POLLOUT)) {
      std::size_t len = std::min(o.chunk, data.size() - r.sent);
      ssize_t put = ::send(fd_, data.data() + r.sent, len, MSG_NOSIGNAL);
      if (put > 0) {
        r.sent += put;
      } else if (put < 0 && errno != EAGAIN && errno != EINTR) {
        r.end = errno == ECONNRESET || errno == EPIPE ? ExchangeEnd::kReset
                                                      : ExchangeEnd::kError;
        r.error = std::strerror(errno);
        break;
      }
    }
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

std::size_t TcpClient::SendWithoutReading(std::size_t max_bytes,
                                          Clock::time_point deadline) {
  std::string chunk(65536, 'n');
  std::size_t sent = 0;
  while (sent < max_bytes) {
    pollfd p{fd_, POLLOUT, 0};
    // Once the socket stays full for a moment, the server has stopped
    // reading from us: that is the state the caller wants.
    int wait = std::min(MillisLeft(deadline), 200);
    if (::poll(&p, 1, wait) <= 0) break;
    ssize_t put =
        ::send(fd_, chunk.data(), std::min(chunk.size(), max_bytes - sent),
               MSG_NOSIGNAL);
    if (put <= 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      break;
    }
    sent += put;
  }
  return sent;
}

ExchangeResult TcpClient::Receive(std::size_t count,
                                  Clock::time_point deadline) {
  ExchangeResult r;
  char buf[65536];
  while (r.received.size() < count) {
    pollfd p{fd_, POLLIN, 0};
    int n = ::poll(&p, 1, MillisLeft(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      r.end = ExchangeEnd::kTimeout;
      return r;
    }
    ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
    if (got == 0) {
      r.end = ExchangeEnd::kEof;
      return r;
    }
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      r.end = errno == ECONNRESET ? ExchangeEnd::kReset : ExchangeEnd::kError;
      r.error = std::strerror(errno);
      return r;
    }
    r.received.append(buf, got);
  }
  r.end = ExchangeEnd::kGotAll;
  return r;
}

bool TcpClient::DataWaiting() {
  char c;
  return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

std::string Describe(ExchangeEnd end) {
  switch (end) {
    case ExchangeEnd::kEof:
      return "the server closed the connection (EOF)";
    case ExchangeEnd::kGotAll:
      return "everything came back";
    case ExchangeEnd::kTimeout:
      return "the time ran out";
    case ExchangeEnd::kReset:
      return "the server reset the connection";
    case ExchangeEnd::kError:
      return "a socket error";
  }
  return "?";
}

std::string EchoTestBytes(std::size_t size, std::uint64_t seed) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x & 0xff);
  }
  return out;
}

}  // namespace ipclab
