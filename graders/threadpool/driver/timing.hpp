// The few time limits of the scenario program. None of them is a
// measurement: a correct pool needs milliseconds for everything the driver
// waits for, and a limit only decides how long to wait before declaring a
// hang (the driver fails on a positive witness or on a hang far beyond
// need, never on "it was slow").
#ifndef IPCLAB_POOL_DRIVER_TIMING_HPP_
#define IPCLAB_POOL_DRIVER_TIMING_HPP_

#include <algorithm>
#include <chrono>

namespace pool_driver {

using Clock = std::chrono::steady_clock;

// How long the driver waits for anything the contract says must happen
// (a call returns, tasks run) before it reports a hang, in whole seconds.
// The grader sets it with IPCLAB_DEADLINE_SECONDS, derived from the time
// the reference pool took for the same scenario moments earlier (see
// docs/architecture.md, "Deadlines"); without it (the reference's own run,
// or a student running the driver by hand), 10.
int DeadlineSeconds();
inline Clock::duration Deadline() {
  return std::chrono::seconds(DeadlineSeconds());
}

// How long the driver watches a call that should block before it moves on
// anyway. Running out only means the driver could not see the thread fall
// asleep (e.g. a pool that spins while it blocks); that is never a failure.
// At most half the deadline, so that a few of them in one scenario stay
// well inside the grader's limit for the whole run.
inline Clock::duration SettleLimit() {
  return std::min<Clock::duration>(std::chrono::seconds(3), Deadline() / 2);
}

// How long a task waits on a gate the test forgot to open. The driver's own
// deadlines always end the process long before; this one only makes sure a
// task can never block forever.
inline constexpr Clock::duration kGateLimit = std::chrono::seconds(60);

inline Clock::time_point DeadlineFromNow(Clock::duration limit = Deadline()) {
  return Clock::now() + limit;
}

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_TIMING_HPP_
