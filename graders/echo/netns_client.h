// Clients for a server that runs in a network namespace of its own
// (LaunchSpec::private_network), and what the grader can read of that
// namespace's TCP sockets.
#pragma once

#include <sys/types.h>

#include <optional>

#include "echo/server_run.h"
#include "echo/tcp_client.h"

namespace ipclab {

/// Connects to 127.0.0.1:port inside the network namespace of process
/// `pid`. The socket is made on a thread of its own that enters the
/// namespace (setns) and ends; a socket stays in the namespace it was
/// created in, so the grader's other threads are untouched.
Result<TcpClient> ConnectInNetworkOf(pid_t pid, int port,
                                     Clock::time_point deadline,
                                     int rcvbuf = 0);

/// Connects to the session's server, from inside its namespace if it has
/// one of its own.
Result<TcpClient> ConnectTo(const ServerSession& s, int rcvbuf = 0);

/// One TCP socket as /proc/PID/net/tcp shows it (the table of the
/// namespace that process is in).
struct TcpSocketState {
  int state = 0;      // TCP_ESTABLISHED = 1, ... TCP_CLOSE_WAIT = 8.
  long tx_queue = 0;  // Sent but not acknowledged, or not yet sent.
  long rx_queue = 0;  // Received but not yet read by the program.
  int timer = 0;      // 4: zero-window probe (the peer's window is shut).
};

inline constexpr int kTcpEstablished = 1;
inline constexpr int kTcpCloseWait = 8;
inline constexpr int kTcpZeroWindowTimer = 4;

/// The socket whose local port is `local_port` and remote port is
/// `remote_port`, in the namespace of process `pid`.
std::optional<TcpSocketState> FindTcpSocket(pid_t pid, int local_port,
                                            int remote_port);

}  // namespace ipclab
