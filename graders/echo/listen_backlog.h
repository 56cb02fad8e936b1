// The backlog a server passed to listen(), read back from the kernel through
// the socket-diagnostics netlink interface (NETLINK_SOCK_DIAG, the one that
// `ss -ltn` uses: its Send-Q column). For a listening TCP socket the kernel
// reports the accept queue's limit, min(backlog, net.core.somaxconn), in
// idiag_wqueue. Reading it is deterministic, unlike provoking overflows.
#pragma once

#include <optional>

#include "core/error.h"

namespace ipclab {

/// The accept-queue limit of the TCP socket listening on `port` (IPv4 or
/// IPv6) in the grader's network namespace; nullopt if none listens there.
Result<std::optional<int>> ListenBacklog(int port);

/// net.core.somaxconn: the kernel silently caps every backlog to it.
int SomaxConn();

}  // namespace ipclab
