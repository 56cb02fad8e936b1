#pragma once

#include "echo/server_run.h"

namespace ipclab {

/// `echo-mode` in pool mode: exactly `n` connections are served at once. N
/// echoes must come (else the pool is too small); while those N stay open
/// nobody else may be served (a positive witness of too many workers), no
/// thread may be made per connection, and a freed worker must take a
/// queued connection.
Verdict CheckPoolWorkers(ServerSession& s, int n);

/// `echo-mode` with `check: queue`: with `n` workers busy the server holds
/// at most n + q (+1 in the acceptor's hand) accepted connections; the rest
/// must wait in the kernel's backlog.
Verdict CheckPoolQueue(ServerSession& s, int n, int q);

}  // namespace ipclab
