// wait() is woken even when the last task finishes at the worst moment:
// after wait() has checked that a task is pending, and before it sleeps on
// its condition variable. Any scheduler may preempt the waiting thread right
// there, for as long as it likes; the shim (graders/threadpool/shim) gives
// the driver that moment on purpose, every run, instead of once in many.
//
// A pool that changes its count of pending tasks and notifies while holding
// the mutex that wait() checks under cannot lose this wakeup: the worker
// blocks on the mutex until wait() really sleeps. A pool that counts or
// notifies without that mutex notifies before wait() sleeps, and wait()
// then sleeps forever.
#include <sys/types.h>

#include <atomic>
#include <functional>
#include <string>

#include "counter.hpp"
#include "gate.hpp"
#include "observe.hpp"
#include "observed_call.hpp"
#include "pool_calls.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "shim_link.hpp"
#include "timing.hpp"

namespace pool_driver {
namespace {

// What the shim's before-wait hook does, once, on the thread that called
// wait(): release the held task and let the worker run until it parks.
struct Nudge {
  Gate* gate = nullptr;         // Holds the task to release.
  Counter* finished = nullptr;  // Each held task's last act bumps it.
  long finished_target = 0;
  std::atomic<pid_t> worker{0};  // The pool's only worker.
  std::atomic<bool> armed{false};
  std::atomic<bool> claimed{false};  // The gate was opened by someone.
  std::atomic<bool> fired{false};    // ... by the hook.
};

// Set while the waiting thread exists; read by the hook on that thread.
std::atomic<Nudge*> current{nullptr};
thread_local bool is_waiter = false;
thread_local bool in_hook = false;

void BeforeWait() {
  Nudge* nudge = current.load();
  if (!is_waiter || in_hook || nudge == nullptr || !nudge->armed.load()) {
    return;
  }
  if (nudge->claimed.exchange(true)) return;
  in_hook = true;  // The waits below go through the shim too.
  nudge->fired.store(true);
  nudge->gate->Open();
  nudge->finished->WaitAtLeast(nudge->finished_target,
                               DeadlineFromNow(SettleLimit()));
  // The worker now counts the task as finished and looks for the next
  // one; it parks on the pool's mutex (held by this thread) or on its
  // condition variable. Not parking (a spinning pool) is no failure.
  WaitUntilParked(nudge->worker.load(), SettleLimit());
  in_hook = false;
}

std::function<void()> HeldTask(Nudge& nudge, Gate& gate, Counter& started) {
  return [&nudge, &gate, &started] {
    nudge.worker.store(CurrentTid());
    started.Increment();
    gate.Wait();
    nudge.finished->Increment();
  };
}

void WaitStarted(Counter& started, long count) {
  if (!started.WaitAtLeast(count, DeadlineFromNow())) {
    FailNow(
        Format("task %ld did not start within %d s on a pool whose only "
               "worker was free",
               count - 1, DeadlineSeconds()));
  }
}

// With `during_wait`, task 0 is running when wait() is called, and task 1
// is scheduled while wait() sleeps; the hook is armed for task 1 and fires
// if the pool wakes wait() when task 0 finishes. Without it, task 0 is the
// only task, and the hook fires at wait()'s first sleep.
void LostWakeupRun(bool during_wait) {
  const long tasks = during_wait ? 2 : 1;
  Gate first_gate, last_gate;
  Counter started, finished;
  Nudge nudge;
  nudge.gate = &last_gate;
  nudge.finished = &finished;
  nudge.finished_target = tasks;
  auto pool = MakePool(1);
  ScheduleOrFail(*pool,
                 HeldTask(nudge, during_wait ? first_gate : last_gate, started),
                 Format("schedule() did not return within %d s on an idle "
                        "pool",
                        DeadlineSeconds()));
  WaitStarted(started, 1);
  nudge.armed.store(!during_wait);
  current.store(&nudge);
  {
    ObservedCall waiter([&] {
      is_waiter = true;
      pool->wait();
    });
    if (during_wait) {
      waiter.WaitUntilAsleepOrReturned();
      ScheduleOrFail(*pool, HeldTask(nudge, last_gate, started),
                     Format("schedule() did not return within %d s while "
                            "another thread was in wait()",
                            DeadlineSeconds()));
      nudge.armed.store(true);
      first_gate.Open();
      WaitStarted(started, 2);
    }
    waiter.WaitUntilAsleepOrReturned();
    // wait() did not sleep on a condition variable where the hook saw it
    // (or the pool did not wake it when task 0 finished): release the
    // task ourselves.
    if (!nudge.claimed.exchange(true)) last_gate.Open();
    waiter.FinishOrFail(
        Format("wait() did not return within %d s after every task had "
               "finished",
               DeadlineSeconds()),
        [&] {
          Detail(Format("%ld of %ld task(s) had finished", finished.Value(),
                        tasks));
          if (!nudge.fired.load()) return;
          Detail(
              "the last task finished while the thread in wait() held the "
              "pool's mutex, after it had checked that a task was pending "
              "and just before it slept on the condition variable (a "
              "moment at which any thread may be preempted); that wakeup "
              "was lost: the pool counted the task as finished, or "
              "notified, without holding that mutex, so the notify came "
              "before wait() slept, and nobody notified it again");
        });
  }
  current.store(nullptr);
  Detail(nudge.fired.load()
             ? "wait() was woken although the last task finished just as "
               "it went to sleep"
             : "wait() did not go to sleep on a condition variable at that "
               "moment, so the test just released the task");
  DestroyOrFail(pool);
}

}  // namespace

void WaitLostWakeup() {
  if (!SetShimBeforeWait(BeforeWait)) {
    Detail(
        "this scenario needs libipclab-pool-shim.so in LD_PRELOAD; this is "
        "a problem of the grader's setup, not of the submission");
    FailNow("shim not loaded");
  }
  Detail(
      "pool of 1 worker: task 0 holds the worker on a gate; another thread "
      "calls wait(); just before that thread sleeps on a condition "
      "variable, the test releases task 0 and lets the worker run until it "
      "blocks, then lets the waiting thread sleep");
  LostWakeupRun(false);
  Detail(
      "pool of 1 worker: task 0 holds the worker; another thread calls "
      "wait() and sleeps; task 1 is scheduled during the wait, then task 0 "
      "is released; if wait() wakes and goes back to sleep, task 1 is "
      "released just before it sleeps");
  LostWakeupRun(true);
  SetShimBeforeWait(nullptr);
}

}  // namespace pool_driver
