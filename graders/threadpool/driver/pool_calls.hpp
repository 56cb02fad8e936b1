// Calls into the student's pool from the driver's own thread, each under
// the watchdog: if it does not return within Deadline(), the driver prints
// FAIL with `stuck` (what the call is and what it was waiting for) plus
// whatever `explain` prints, and exits. The pool is never trusted to
// return.
#ifndef IPCLAB_POOL_DRIVER_POOL_CALLS_HPP_
#define IPCLAB_POOL_DRIVER_POOL_CALLS_HPP_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "pool.hpp"
#include "tally.hpp"
#include "timing.hpp"

namespace pool_driver {

using Explain = std::function<void()>;

// `new ThreadPool(threads, capacity)`. Exceptions propagate.
std::unique_ptr<Pool> MakePool(std::size_t threads, std::size_t capacity = 0);

void ScheduleOrFail(Pool& pool, std::function<void()> task,
                    const std::string& stuck, const Explain& explain = nullptr,
                    Clock::duration limit = Deadline());

// With `progress` (e.g. a count of finished tasks), `limit` is measured
// from the last change of *progress: a wait() behind many tasks is only
// stuck once they stop finishing.
void WaitOrFail(Pool& pool, const std::string& stuck,
                const Explain& explain = nullptr,
                Clock::duration limit = Deadline(),
                const std::atomic<long>* progress = nullptr);

// Destroys the pool (and resets `pool`). Without `stuck`, the summary says
// that every task had finished, which is how most scenarios end.
void DestroyOrFail(std::unique_ptr<Pool>& pool, const std::string& stuck,
                   const Explain& explain = nullptr);
void DestroyOrFail(std::unique_ptr<Pool>& pool);

// wait() for the tasks of `tally`, under a watchdog that fires once no task
// has finished for Deadline(). Its summary says which of two things was
// seen: every task had finished and wait() still did not return (a lost
// or missing wakeup), or tasks stopped finishing (the pool is stuck).
void WaitForTallyOrFail(Pool& pool, const Tally& tally,
                        const std::string& situation);

// "wait() did not return within 10 s " + `situation`, the common summary.
std::string WaitStuck(const std::string& situation);

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_POOL_CALLS_HPP_
