// Pool mode with a full queue: every worker busy, Q connections queued, and
// more clients waiting in the kernel's backlog while the accepting thread
// waits for room. Two checks (echo-mode, check: queue-full and
// queue-full-sigterm):
//
//  * drains: once the workers are freed, every waiting client is served in
//    turn. A pool whose workers never tell the accepting thread that they
//    took a connection (a lost wake-up on "not full") leaves the backlog
//    waiting for good.
//  * sigterm: SIGTERM while the accepting thread waits for room still ends
//    the server with status 0 (the lab's contract: SIGINT and SIGTERM end
//    the server promptly, whatever it is doing).
#pragma once

#include "core/probe.h"

namespace ipclab {

Verdict CheckQueueFullDrains(const ProbeContext& ctx, int workers, int queue);
Verdict CheckQueueFullSigterm(const ProbeContext& ctx, int workers, int queue);

}  // namespace ipclab
