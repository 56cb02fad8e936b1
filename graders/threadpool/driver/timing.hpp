// The few time limits of the scenario program. None of them is a
// measurement: a correct pool needs milliseconds for everything the driver
// waits for, and a limit only decides how long to wait before declaring a
// hang (docs/architecture.md, "Rules every probe follows", rule 1: fail on
// a positive witness or a hang far beyond need, never on "it was slow").
#ifndef IPCLAB_POOL_DRIVER_TIMING_HPP_
#define IPCLAB_POOL_DRIVER_TIMING_HPP_

#include <chrono>

namespace pool_driver {

using Clock = std::chrono::steady_clock;

// How long the driver waits for anything the contract says must happen
// (a call returns, tasks run) before it reports a hang.
inline constexpr int kDeadlineSeconds = 10;
inline constexpr Clock::duration kDeadline =
    std::chrono::seconds(kDeadlineSeconds);

// How long the driver watches a call that should block before it moves on
// anyway. Running out only means the driver could not see the thread fall
// asleep (e.g. a pool that spins while it blocks); that is never a failure.
inline constexpr Clock::duration kSettleLimit = std::chrono::seconds(3);

// How long a task waits on a gate the test forgot to open. The driver's own
// deadlines always end the process long before; this one only makes sure a
// task can never block forever.
inline constexpr Clock::duration kGateLimit = std::chrono::seconds(60);

inline Clock::time_point DeadlineFromNow(Clock::duration limit = kDeadline) {
  return Clock::now() + limit;
}

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_TIMING_HPP_
