// The one client that catches a server that is killed by SIGPIPE although it
// stops at the first failed write: a reset that arrives after the client's
// FIN (server socket in CLOSE_WAIT), while the server still has echoing to
// do. The kernel then fails the server's next write with EPIPE and raises
// SIGPIPE; a reset that arrives while the socket is still ESTABLISHED fails
// it with ECONNRESET and no signal, so only a second write would die.
#pragma once

#include "core/error.h"
#include "echo/server_run.h"

namespace ipclab {

/// The socket buffer sizes ("MIN DEFAULT MAX", bytes) of the private network
/// the probe needs: small, so the server is blocked writing after some tens
/// of kilobytes instead of megabytes.
inline constexpr const char* kSmallTcpBuffers = "4096 16384 65536";

/// Plays that client once against the session's server, which must run in
/// a private network with kSmallTcpBuffers. Returns true once the reset was
/// sent in that state and the server has dealt with it (closed the socket,
/// or died); false if the state could not be reached because the server
/// read everything without being blocked (nothing to catch then).
Result<bool> ResetInCloseWait(ServerSession& s);

/// The server's main process has ended (it may not be reaped yet).
bool ServerGone(ServerSession& s);

}  // namespace ipclab
