// What the pool costs and gives: real parallelism, no more threads than
// asked for, no CPU while idle, and how fast it moves tiny tasks.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "counter.hpp"
#include "observe.hpp"
#include "pool_calls.hpp"
#include "rendezvous.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "shim_link.hpp"
#include "timing.hpp"
#include "watchdog.hpp"

namespace pool_driver {
namespace {

// What tasks see of the process while they run.
struct ThreadSamples {
  std::atomic<int> most_threads{0};
  std::mutex mutex;
  std::set<pid_t> task_threads;  // Guarded by mutex.

  void Sample() {
    int now = ThreadCount();
    int most = most_threads.load();
    while (now > most && !most_threads.compare_exchange_weak(most, now)) {
    }
    std::lock_guard<std::mutex> lock(mutex);
    task_threads.insert(CurrentTid());
  }
};

long SumContextSwitches(const std::set<pid_t>& threads) {
  long sum = 0;
  for (pid_t tid : threads) {
    ContextSwitches switches = ThreadContextSwitches(tid);
    if (switches.voluntary >= 0) sum += switches.voluntary;
    if (switches.involuntary >= 0) sum += switches.involuntary;
  }
  return sum;
}

}  // namespace

void Parallelism() {
  constexpr int kWorkers = 4;
  Detail(
      Format("pool of %d workers: %d tasks that each wait (up to %d s) "
             "until all %d are running",
             kWorkers, kWorkers, DeadlineSeconds(), kWorkers));
  Rendezvous rendezvous(kWorkers, DeadlineFromNow());
  std::atomic<int> met{0};
  Counter done;
  auto pool = MakePool(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    // A pool that runs the task inside schedule() blocks here until the
    // rendezvous gives up, so this watchdog waits longer than that.
    ScheduleOrFail(
        *pool,
        [&] {
          if (rendezvous.Arrive()) met.fetch_add(1);
          done.Increment();
        },
        Format("schedule() did not return within %d s", 2 * DeadlineSeconds()),
        nullptr, 2 * Deadline());
  }
  if (!done.WaitAtLeast(kWorkers, DeadlineFromNow(2 * Deadline()))) {
    FailNow(
        Format("only %ld of %d tasks ran at all within %d s (at most %d "
               "at the same time) on a pool of %d workers",
               done.Value(), kWorkers, 2 * DeadlineSeconds(),
               rendezvous.MostAtOnce(), kWorkers));
  }
  if (met.load() < kWorkers) {
    FailNow(
        Format("only %d of %d tasks ran at the same time: %d tasks that "
               "wait for each other must all run at once on a pool of %d "
               "workers (they waited %d s for each other)",
               rendezvous.MostAtOnce(), kWorkers, kWorkers, kWorkers,
               DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after every task had finished"));
  DestroyOrFail(pool);
  Detail(Format("all %d tasks were running at the same time", kWorkers));
}

void ThreadBound() {
  constexpr std::size_t kWorkers = 3;
  constexpr int kBatches = 2;
  constexpr int kPerBatch = 1000;
  long creations_before = ShimThreadCreations();
  if (creations_before < 0) {
    Detail(
        "this scenario counts pthread_create calls through "
        "libipclab-pool-shim.so, which must be in LD_PRELOAD; this is a "
        "problem of the grader's setup, not of the submission");
    FailNow("shim not loaded");
  }
  Detail(
      Format("pool of %zu workers: %d batches of %d tasks with wait() "
             "after each, and one more wait(); each task counts the "
             "threads of the process and notes which thread runs it",
             kWorkers, kBatches, kPerBatch));
  const int threads_before = ThreadCount();
  ThreadSamples samples;
  auto pool = MakePool(kWorkers);
  for (int batch = 0; batch < kBatches; ++batch) {
    for (int i = 0; i < kPerBatch; ++i) {
      ScheduleOrFail(
          *pool, [&samples] { samples.Sample(); },
          Format("schedule() did not return within %d s on an unbounded "
                 "queue",
                 DeadlineSeconds()));
    }
    WaitOrFail(*pool, WaitStuck(Format("after batch %d of %d tasks", batch + 1,
                                       kPerBatch)));
  }
  WaitOrFail(*pool, WaitStuck("called again with nothing pending"));
  long created_while_used = ShimThreadCreations() - creations_before;
  DestroyOrFail(pool);
  long created = ShimThreadCreations() - creations_before;

  std::size_t task_threads = samples.task_threads.size();
  int most = samples.most_threads.load();
  Detail(
      Format("threads created by the pool (pthread_create calls): %ld "
             "while in use, %ld in all",
             created_while_used, created));
  Detail(Format("different threads that ran tasks: %zu", task_threads));
  Detail(
      Format("threads of the process: %d before the pool, at most %d "
             "while tasks ran",
             threads_before, most));
  if (created > static_cast<long>(kWorkers)) {
    FailNow(
        Format("the pool created %ld threads, but it has %zu workers; "
               "the constructor starts them once and the pool reuses "
               "them (no thread per task, no new threads after wait())",
               created, kWorkers));
  }
  if (task_threads > kWorkers) {
    FailNow(
        Format("tasks ran on %zu different threads, but a pool of %zu "
               "runs them on its %zu workers only",
               task_threads, kWorkers, kWorkers));
  }
  if (most > threads_before + static_cast<int>(kWorkers)) {
    FailNow(
        Format("while tasks ran, the process had up to %d threads: the "
               "driver's %d plus %zu workers allow at most %d",
               most, threads_before, kWorkers,
               threads_before + static_cast<int>(kWorkers)));
  }
}

void IdleNoSpin() {
  constexpr std::size_t kWorkers = 4;
  constexpr auto kWindow = std::chrono::milliseconds(300);
  constexpr double kMostCpuShare = 0.30;
  constexpr double kMostWakeupsPerWorker = 5;
  Detail(
      Format("pool of %zu workers with nothing to do: CPU time and "
             "context switches are measured over %lld ms",
             kWorkers, static_cast<long long>(kWindow.count())));
  const std::set<pid_t> ids_before = ThreadIds();
  auto pool = MakePool(kWorkers);
  // Let the pool settle: every worker has started and run something.
  Counter done;
  for (std::size_t i = 0; i < 2 * kWorkers; ++i) {
    ScheduleOrFail(
        *pool, [&done] { done.Increment(); },
        Format("schedule() did not return within %d s", DeadlineSeconds()));
  }
  if (!done.WaitAtLeast(2 * kWorkers, DeadlineFromNow())) {
    FailNow(Format("only %ld of %zu tasks ran within %d s", done.Value(),
                   2 * kWorkers, DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after every task had finished"));
  std::set<pid_t> workers;
  for (pid_t tid : ThreadIds()) {
    if (ids_before.count(tid) == 0) workers.insert(tid);
  }
  // Give the workers a chance to fall asleep. A pool that never sleeps
  // runs out this limit and is then measured like any other.
  Clock::time_point settle_deadline = DeadlineFromNow(SettleLimit());
  while (Clock::now() < settle_deadline &&
         !std::all_of(workers.begin(), workers.end(),
                      [](pid_t tid) { return IsAsleep(ThreadState(tid)); })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // The measurement window: sleeping here is the point, not a way to
  // synchronise with anything.
  double cpu_before = ProcessCpuSeconds();
  long switches_before = SumContextSwitches(workers);
  Clock::time_point start = Clock::now();
  std::this_thread::sleep_for(kWindow);
  double window = std::chrono::duration<double>(Clock::now() - start).count();
  double cpu = ProcessCpuSeconds() - cpu_before;
  long switches = SumContextSwitches(workers) - switches_before;

  double per_worker = workers.empty() ? 0.0
                                      : static_cast<double>(switches) /
                                            static_cast<double>(workers.size());
  Detail(
      Format("idle window %.3f s: process CPU time %.3f s (%.1f%% of the "
             "window)",
             window, cpu, 100.0 * cpu / window));
  Detail(
      Format("%zu worker threads, %ld context switches during the window "
             "(%.1f per worker)",
             workers.size(), switches, per_worker));
  if (cpu > kMostCpuShare * window) {
    FailNow(
        Format("the idle pool used %.3f s of CPU time in %.3f s (%.0f%%); "
               "idle workers must block on a condition variable, not "
               "spin or yield in a loop",
               cpu, window, 100.0 * cpu / window));
  }
  if (per_worker > kMostWakeupsPerWorker) {
    FailNow(
        Format("idle workers woke up %.1f times each in %.3f s; they "
               "seem to poll (sleep, check, sleep) instead of blocking "
               "on a condition variable until there is work",
               per_worker, window));
  }
  DestroyOrFail(pool);
}

void Throughput() {
  constexpr std::size_t kWorkers = 4;
  constexpr long kTasks = 200000;
  // Generous: this scenario is about speed, so only a pool far slower than
  // any reasonable one (the reference needs a fraction of a second) ends
  // it; the grader judges the figure itself.
  constexpr int kLimitSeconds = 60;
  auto pool = MakePool(kWorkers);
  WaitOrFail(*pool, WaitStuck("on a fresh pool"));
  std::atomic<long> scheduled{0};
  Clock::time_point start = Clock::now();
  {
    WatchdogScope guard(
        Format("%ld empty tasks on %zu workers did not finish within %d s",
               kTasks, kWorkers, kLimitSeconds),
        [&] {
          Detail(Format("%ld of %ld tasks had been scheduled", scheduled.load(),
                        kTasks));
        },
        std::chrono::seconds(kLimitSeconds));
    for (long i = 0; i < kTasks; ++i) {
      pool->schedule([] {});
      scheduled.fetch_add(1, std::memory_order_relaxed);
    }
    pool->wait();
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Detail(Format("%ld empty tasks through a pool of %zu workers, then wait()",
                kTasks, kWorkers));
  Detail(Format("seconds=%.6f", seconds));
  DestroyOrFail(pool);
}

}  // namespace pool_driver
