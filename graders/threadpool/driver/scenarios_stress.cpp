// Runs meant for a hostile environment: injected spurious wakeups (with
// the shim), and ThreadSanitizer / AddressSanitizer builds, where the
// sanitizer is the judge and the workload only has to reach every path.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "counter.hpp"
#include "gate.hpp"
#include "pool_calls.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "shim_link.hpp"
#include "tally.hpp"
#include "timing.hpp"
#include "watchdog.hpp"

namespace pool_driver {
namespace {

// Runs `bodies` on threads of their own, all released at once, and joins
// them. Each body bumps `progress` as it goes; the watchdog ends the run if
// none does for Deadline().
void RunConcurrently(const std::vector<std::function<void()>>& bodies,
                     std::atomic<long>& progress, const std::string& stuck) {
  Gate start;
  Counter done;
  std::vector<std::thread> threads;
  for (const std::function<void()>& body : bodies) {
    threads.emplace_back([&start, &done, &body] {
      start.Wait();
      body();
      done.Increment();
    });
  }
  {
    WatchdogScope guard(stuck, nullptr, Deadline(), &progress);
    start.Open();
    done.WaitAtLeast(static_cast<long>(bodies.size()),
                     DeadlineFromNow(kGateLimit));
  }
  for (std::thread& thread : threads) thread.join();
}

// Several producers, and two threads calling wait() over and over while
// they schedule.
void ProducersAndWaiters(std::size_t capacity) {
  constexpr std::size_t kProducers = 4;
  constexpr std::size_t kPerProducer = 2000;
  constexpr int kWaitsPerThread = 20;
  std::string what = Format(
      "%zu producers x %zu tasks and 2 threads calling "
      "wait() %d times each, 3 workers, capacity %zu",
      kProducers, kPerProducer, kWaitsPerThread, capacity);
  Detail("running " + what);
  Tally tally(kProducers * kPerProducer);
  auto pool = MakePool(3, capacity);
  std::atomic<long> progress{0};
  std::vector<std::function<void()>> bodies;
  for (std::size_t p = 0; p < kProducers; ++p) {
    bodies.push_back([&, p] {
      for (std::size_t i = p * kPerProducer; i < (p + 1) * kPerProducer; ++i) {
        pool->schedule([&tally, i] { tally.Record(i); });
        progress.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (int w = 0; w < 2; ++w) {
    bodies.push_back([&] {
      for (int i = 0; i < kWaitsPerThread; ++i) {
        pool->wait();
        progress.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  RunConcurrently(bodies, progress,
                  Format("%s: no schedule() or wait() call returned for %d s",
                         what.c_str(), DeadlineSeconds()));
  WaitForTallyOrFail(*pool, tally,
                     "wait() was called after every producer had finished");
  Require(tally.CheckAfterWait(what));
  DestroyOrFail(pool);
}

// Pools destroyed with tasks still queued: the destructor's path through
// the workers' exit, where use-after-free and join bugs live.
void CreateAndDestroy() {
  constexpr int kRounds = 30;
  constexpr int kTasks = 20;
  Detail(
      Format("%d pools of 2 workers, each destroyed right after %d tasks "
             "were scheduled",
             kRounds, kTasks));
  Counter finished;
  for (int round = 0; round < kRounds; ++round) {
    auto pool = MakePool(2);
    for (int i = 0; i < kTasks; ++i) {
      ScheduleOrFail(
          *pool, [&finished] { finished.Increment(); },
          Format("schedule() did not return within %d s", DeadlineSeconds()));
    }
    DestroyOrFail(pool, Format("the destructor did not return within %d s "
                               "with tasks still queued",
                               DeadlineSeconds()));
    long expected = static_cast<long>(round + 1) * kTasks;
    if (finished.Value() != expected) {
      FailNow(
          Format("after the destructor of pool %d returned, %ld of its "
                 "%d tasks had run; it must run every queued task",
                 round + 1, finished.Value() - expected + kTasks, kTasks));
    }
  }
}

// Checks that the shim is loaded and injecting, and says what it injects.
// Returns the shim's count of injected wakeups so far.
long StartInjecting() {
  long injected_before = ShimSpuriousWakeups();
  if (injected_before < 0) {
    Detail(
        "this scenario injects spurious wakeups through "
        "libipclab-pool-shim.so, which must be in LD_PRELOAD; this is a "
        "problem of the grader's setup, not of the submission");
    FailNow("shim not loaded");
  }
  const char* period = std::getenv("IPCLAB_SPURIOUS");
  if (period == nullptr || std::atol(period) <= 0) {
    Detail(
        "the shim is loaded, but IPCLAB_SPURIOUS is not set to a number "
        "N >= 2; this is a problem of the grader's setup");
    FailNow("IPCLAB_SPURIOUS not set");
  }
  const long every = std::max(2L, std::atol(period));
  Detail(
      Format("each thread's first wait on each condition variable, and "
             "one wait in %ld after it, returns at once without a notify: "
             "a spurious wakeup, which POSIX allows at any time",
             every));
  SetFailContext("with spurious wakeups injected");
  return injected_before;
}

void ReportInjected(long injected_before) {
  Detail(
      Format("%ld spurious wakeups were injected; the pool handled every "
             "one",
             ShimSpuriousWakeups() - injected_before));
}

}  // namespace

void Spurious() {
  long injected_before = StartInjecting();
  // Every workload has a wait the injection turns into a witness of an
  // `if` that should be a `while`: idle workers, the task order, wait()
  // itself. None of them needs a bounded queue or a task that throws, so a
  // pool that lacks those (each has tests of its own) is judged here only
  // on its waits. The producer's wait on a full queue is
  // SpuriousBounded's.
  ExactlyOnceRun(10000, 4);
  FifoOneWorker(1000);
  WaitNotEarly();
  ReportInjected(injected_before);
}

void SpuriousBounded() {
  long injected_before = StartInjecting();
  // The producer's wait on a full queue: a schedule() that waits with `if`
  // returns after the injected wakeup, although the queue is still full.
  BoundedQueue();
  ReportInjected(injected_before);
}

void SanitizerWorkload() {
  ProducersAndWaiters(0);
  ProducersAndWaiters(3);
  CreateAndDestroy();
  // No task throws here: a pool that lets exceptions escape fails the
  // exceptions test, and only that one; here it must be judged on its
  // races and memory errors alone. ScheduleFromTask includes bounded
  // queues that never fill, so a pool without a bound passes it too.
  ScheduleFromTask();
  Detail(
      "workload complete; the sanitizer reports anything it found on "
      "stderr and in the exit status");
}

}  // namespace pool_driver
