// A full-duplex TCP client with a deadline on every operation: the grader's
// side of every echo conversation. It never sends everything before reading
// (that deadlocks against a correct server once both socket buffers fill),
// and it never blocks past its deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/error.h"

namespace ipclab {

using Clock = std::chrono::steady_clock;

/// How one exchange ended.
enum class ExchangeEnd {
  kEof,      // The server closed its side after the data.
  kGotAll,   // Everything expected arrived (no EOF awaited).
  kTimeout,  // The deadline passed first.
  kReset,    // ECONNRESET: the server reset the connection.
  kError,    // Another socket error.
};

struct ExchangeResult {
  std::string received;
  ExchangeEnd end = ExchangeEnd::kTimeout;
  std::size_t sent = 0;
  std::string error;  // For kError/kReset.
  double seconds = 0;
};

struct ExchangeOptions {
  std::size_t chunk = 64 * 1024;  // Bytes per send() (1: byte at a time).
  bool half_close = true;         // shutdown(SHUT_WR) after the last byte.
  bool await_eof = true;          // Read until EOF (else until all echoed).
};

/// A connected client socket. Closed on destruction.
class TcpClient {
 public:
  TcpClient() = default;
  ~TcpClient();
  TcpClient(TcpClient&& other) noexcept;
  TcpClient& operator=(TcpClient&& other) noexcept;
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  /// Connects to 127.0.0.1:port before `deadline`. A `rcvbuf` > 0 is set
  /// as SO_RCVBUF before connecting (it fixes the window TCP offers).
  static Result<TcpClient> Connect(int port, Clock::time_point deadline,
                                   int rcvbuf = 0);

  /// Sends `data` while reading whatever comes back, until the echo is
  /// complete (or EOF, if awaited), or the deadline.
  ExchangeResult Exchange(const std::string& data, const ExchangeOptions& o,
                          Clock::time_point deadline);

  /// Sends without reading (a client that never reads): as much as the
  /// socket takes before `deadline`, up to `max_bytes`. Returns bytes sent.
  std::size_t SendWithoutReading(std::size_t max_bytes,
                                 Clock::time_point deadline);

  /// Reads until `count` bytes arrived, EOF, or the deadline.
  ExchangeResult Receive(std::size_t count, Clock::time_point deadline);

  /// True if bytes have arrived and wait to be read (no waiting): for
  /// "who has been served so far" checks.
  bool DataWaiting();

  /// Closes with an RST (SO_LINGER 0) instead of a FIN.
  void Reset();
  /// shutdown(SHUT_WR): sends FIN; the server reads EOF after the data.
  void HalfClose();
  /// Bytes (and FIN) sent but not yet acknowledged by the server's kernel
  /// (SIOCOUTQ); -1 on error.
  int Unacknowledged() const;
  void Close();
  int fd() const { return fd_; }
  /// The client's local port: identifies the connection in /proc/net/tcp.
  int local_port() const;

 private:
  explicit TcpClient(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// "EOF", "reset by the server", ...
std::string Describe(ExchangeEnd end);

/// Deterministic test data with every byte value (NUL and >= 0x80 too).
std::string EchoTestBytes(std::size_t size, std::uint64_t seed);

}  // namespace ipclab
