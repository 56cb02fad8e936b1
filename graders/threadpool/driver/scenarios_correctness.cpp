// Every task runs exactly once: many tasks, many producers, tasks that
// schedule tasks, tasks that throw, and the one argument the constructor
// must reject.
#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "counter.hpp"
#include "exception_text.hpp"
#include "gate.hpp"
#include "pool_calls.hpp"
#include "rendezvous.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "tally.hpp"
#include "timing.hpp"
#include "watchdog.hpp"

namespace pool_driver {
namespace {

// Schedules tasks [first, first + count) of `tally` from this thread, under
// a watchdog that fires if schedule() stops returning for Deadline().
void ScheduleTallyTasks(Pool& pool, Tally& tally, std::size_t first,
                        std::size_t count) {
  std::atomic<long> scheduled{0};
  WatchdogScope guard(
      Format("schedule() did not return within %d s on an unbounded queue",
             DeadlineSeconds()),
      [&] {
        Detail(Format("%ld of %zu tasks had been scheduled, %ld had finished",
                      scheduled.load(), count, tally.Finished()));
      },
      Deadline(), &scheduled);
  for (std::size_t i = first; i < first + count; ++i) {
    pool.schedule([&tally, i] { tally.Record(i); });
    scheduled.fetch_add(1, std::memory_order_relaxed);
  }
}

// The task tree of ScheduleFromTask: every task above the last level
// schedules kFanOut children into the same pool, then records itself.
constexpr int kFanOut = 5;
constexpr int kTreeLevels = 3;  // Below the root.
constexpr std::size_t kTreeTasks = 1 + 5 + 25 + 125;

struct Tree {
  Pool* pool = nullptr;
  Tally tally{kTreeTasks};
  std::atomic<long> next_id{1};     // 0 is the root.
  std::atomic<long> extra_runs{0};  // Ids past kTreeTasks: a task ran twice.
};

void TreeTask(Tree& tree, int level, long id) {
  if (level < kTreeLevels) {
    for (int child = 0; child < kFanOut; ++child) {
      long child_id = tree.next_id.fetch_add(1);
      tree.pool->schedule(
          [&tree, level, child_id] { TreeTask(tree, level + 1, child_id); });
    }
  }
  if (id < static_cast<long>(kTreeTasks)) {
    tree.tally.Record(static_cast<std::size_t>(id));
  } else {
    tree.extra_runs.fetch_add(1);
  }
}

// `capacity` must exceed the most tasks that can ever be queued (155), or a
// correct pool could deadlock: with every worker inside a task blocked in
// schedule() on a full queue, nobody is left to take a task out.
void RunTree(std::size_t capacity) {
  std::string what = Format(
      "a tree of %zu tasks (each task of the first 3 levels schedules "
      "5 more) on 3 workers, queue capacity %zu",
      kTreeTasks, capacity);
  Detail("running " + what);
  Tree tree;
  auto pool = MakePool(3, capacity);
  tree.pool = pool.get();
  ScheduleOrFail(
      *pool, [&tree] { TreeTask(tree, 0, 0); },
      Format("schedule() of the first task did not return within %d s",
             DeadlineSeconds()));
  // Counted, not only waited for: if a schedule() inside a task is stuck,
  // wait() is stuck too and says less.
  if (!tree.tally.WaitAllFinished(DeadlineFromNow())) {
    FailNow(Format(
        "%s: only %ld of %zu tasks had finished after %d s; a task that "
        "calls schedule() seems to be stuck (does a worker hold the pool's "
        "mutex while its task runs?)",
        what.c_str(), tree.tally.Finished(), kTreeTasks, DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after every task of the tree had finished"));
  if (tree.extra_runs.load() > 0) {
    FailNow(
        Format("%s: %ld more task(s) ran than were scheduled; each task "
               "must run exactly once",
               what.c_str(), tree.extra_runs.load()));
  }
  Require(tree.tally.CheckNow(what));
  DestroyOrFail(pool);
}

// One task schedules kSpawned tasks into a queue of capacity 4, so its
// schedule() blocks again and again until the other workers make room.
// Only one task ever waits in schedule(), so 2 workers stay free: no
// deadlock is possible for a correct pool.
void RunSpawner() {
  constexpr std::size_t kSpawned = 50;
  std::string what = Format(
      "one task scheduling %zu tasks into a queue of capacity 4 (3 workers)",
      kSpawned);
  Detail("running " + what);
  Tally tally(kSpawned + 1);
  auto pool = MakePool(3, 4);
  Pool* raw = pool.get();
  ScheduleOrFail(
      *pool,
      [raw, &tally] {
        for (std::size_t i = 1; i <= kSpawned; ++i) {
          raw->schedule([&tally, i] { tally.Record(i); });
        }
        tally.Record(0);
      },
      Format("schedule() of the first task did not return within %d s",
             DeadlineSeconds()));
  if (!tally.WaitAllFinished(DeadlineFromNow())) {
    FailNow(Format(
        "%s: only %ld of %zu tasks had finished after %d s; a "
        "schedule() call on the full queue was not woken up when "
        "a worker took a task out",
        what.c_str(), tally.Finished(), kSpawned + 1, DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after every task had finished"));
  Require(tally.CheckNow(what));
  DestroyOrFail(pool);
}

}  // namespace

void ExactlyOnceRun(std::size_t tasks, std::size_t threads) {
  std::string what = Format("%zu tasks on %zu workers", tasks, threads);
  Detail(
      Format("scheduling %s (task i adds 1 to slot i of an array), then "
             "calling wait()",
             what.c_str()));
  Tally tally(tasks);
  auto pool = MakePool(threads);
  ScheduleTallyTasks(*pool, tally, 0, tasks);
  WaitForTallyOrFail(
      *pool, tally,
      Format("wait() was called after %zu tasks were scheduled", tasks));
  Require(tally.CheckAfterWait(what));
  DestroyOrFail(pool);
}

void ExactlyOnce() { ExactlyOnceRun(100000, 4); }

void ManyProducers() {
  constexpr std::size_t kProducers = 8;
  constexpr std::size_t kPerProducer = 20000;
  constexpr std::size_t kTasks = kProducers * kPerProducer;
  std::string what = Format(
      "%zu threads each scheduling %zu tasks at once "
      "into a pool of 4 workers",
      kProducers, kPerProducer);
  Detail(what + "; task i adds 1 to slot i");
  Tally tally(kTasks);
  auto pool = MakePool(4);
  Gate start;  // Released at once, so the producers really overlap.
  Counter producers_done;
  std::atomic<long> scheduled{0};
  std::vector<std::thread> producers;
  for (std::size_t p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      start.Wait();
      for (std::size_t i = p * kPerProducer; i < (p + 1) * kPerProducer; ++i) {
        pool->schedule([&tally, i] { tally.Record(i); });
        scheduled.fetch_add(1, std::memory_order_relaxed);
      }
      producers_done.Increment();
    });
  }
  {
    WatchdogScope guard(
        Format("schedule() calls made no progress for %d s while %zu "
               "threads were scheduling at once",
               DeadlineSeconds(), kProducers),
        [&] {
          Detail(Format("%ld of %zu tasks had been scheduled, %ld finished",
                        scheduled.load(), kTasks, tally.Finished()));
        },
        Deadline(), &scheduled);
    start.Open();
    producers_done.WaitAtLeast(kProducers, DeadlineFromNow(kGateLimit));
  }
  for (std::thread& producer : producers) producer.join();
  WaitForTallyOrFail(*pool, tally,
                     "wait() was called after all producers had finished");
  Require(tally.CheckAfterWait(what));
  DestroyOrFail(pool);
}

void ScheduleFromTask() {
  RunTree(0);
  RunTree(kTreeTasks + 4);  // Bounded, but never full: see RunTree.
  RunSpawner();
}

void Exceptions() {
  constexpr int kThrowing = 10;
  constexpr std::size_t kNormal = 100;
  Detail(
      Format("pool of 2 workers: scheduling %d tasks that throw "
             "std::runtime_error, then 2 tasks that wait for each other "
             "(both workers must still be alive to run them), then %zu "
             "ordinary tasks",
             kThrowing, kNormal));
  auto pool = MakePool(2);
  Counter thrown;
  for (int i = 0; i < kThrowing; ++i) {
    ScheduleOrFail(
        *pool,
        [&thrown, i] {
          thrown.Increment();
          throw std::runtime_error(Format(
              "test exception %d of %d from pool-driver", i + 1, kThrowing));
        },
        Format("schedule() did not return within %d s", DeadlineSeconds()));
  }
  Rendezvous pair(2, DeadlineFromNow());
  std::atomic<int> met{0};
  Counter pair_done;
  for (int i = 0; i < 2; ++i) {
    ScheduleOrFail(
        *pool,
        [&] {
          if (pair.Arrive()) met.fetch_add(1);
          pair_done.Increment();
        },
        Format("schedule() did not return within %d s", DeadlineSeconds()));
  }
  Tally tally(kNormal);
  ScheduleTallyTasks(*pool, tally, 0, kNormal);

  // The pair gives up at its own deadline, so this one is later.
  if (!pair_done.WaitAtLeast(2, DeadlineFromNow(2 * Deadline()))) {
    FailNow(
        Format("after %ld of %d throwing tasks had run, the 2 tasks "
               "scheduled next did not run within %d s; a task that "
               "throws must not take its worker down",
               thrown.Value(), kThrowing, 2 * DeadlineSeconds()));
  }
  if (met.load() < 2) {
    FailNow(
        Format("after %d tasks had thrown, 2 tasks that wait for each "
               "other could not run at the same time on the pool of 2 "
               "workers; a task that throws must not take its worker "
               "down",
               kThrowing));
  }
  if (!tally.WaitAllFinished(DeadlineFromNow())) {
    FailNow(
        Format("after %d tasks had thrown, only %ld of %zu ordinary "
               "tasks ran within %d s",
               kThrowing, tally.Finished(), kNormal, DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after every task had finished (10 of them by "
                              "throwing)"));
  if (thrown.Value() != kThrowing) {
    FailNow(Format("%ld of the %d throwing tasks ran; each must run once",
                   thrown.Value(), kThrowing));
  }
  Require(tally.CheckNow(
      Format("%zu ordinary tasks after %d throwing ones", kNormal, kThrowing)));
  DestroyOrFail(pool);
  Detail(
      "every worker survived the exceptions (the grader checks the "
      "stderr lines separately)");
}

void ZeroThreads() {
  Detail("constructing ThreadPool(0), which must throw std::invalid_argument");
  // Kept, never destroyed: the verdict is the constructor's, and a pool
  // without workers may well hang in its destructor; FailNow below ends
  // the process before it would run.
  std::unique_ptr<Pool> pool;
  try {
    WatchdogScope guard(
        Format("the constructor ThreadPool(0) neither returned nor threw "
               "within %d s",
               DeadlineSeconds()));
    pool = NewPool(0, 0);
  } catch (const std::invalid_argument& error) {
    Detail("ThreadPool(0) threw " + DescribeException(error));
    return;
  } catch (const std::exception& error) {
    FailNow("ThreadPool(0) threw " + DescribeException(error) +
            "; the contract says std::invalid_argument");
  } catch (...) {
    FailNow(
        "ThreadPool(0) threw something that is not a std::exception; "
        "the contract says std::invalid_argument");
  }
  FailNow(
      "ThreadPool(0) did not throw; a pool without workers could never "
      "run a task, so the contract says it throws std::invalid_argument");
}

}  // namespace pool_driver
