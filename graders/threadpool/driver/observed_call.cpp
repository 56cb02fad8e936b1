#include "observed_call.hpp"

#include <chrono>
#include <utility>

#include "observe.hpp"
#include "report.hpp"

namespace pool_driver {
namespace {

// Consecutive "asleep, and not woken since" samples needed. One sample
// could catch the thread in a short sleep on its way into the call (a
// contended lock, a page fault); several in a row with no wakeup in between
// mean it is parked.
constexpr int kAsleepSamples = 3;
constexpr auto kSampleInterval = std::chrono::milliseconds(1);

}  // namespace

ObservedCall::ObservedCall(std::function<void()> call)
    : call_(std::move(call)), thread_([this] { Run(); }) {}

ObservedCall::~ObservedCall() { thread_.join(); }

void ObservedCall::Run() {
  // Published just before the call, so every sample of this thread's state
  // is taken while it is inside the call or later, never while it is still
  // starting up.
  tid_.store(CurrentTid());
  call_();
  std::lock_guard<std::mutex> lock(mutex_);
  returned_ = true;
  returned_cv_.notify_all();
}

bool ObservedCall::Returned() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return returned_;
}

ObservedCall::Seen ObservedCall::WaitUntilAsleepOrReturned(
    Clock::duration limit) {
  Clock::time_point deadline = DeadlineFromNow(limit);
  int asleep_in_a_row = 0;
  long last_voluntary = -1;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Waiting on the condition variable (not sleeping) between samples:
    // a return is noticed at once.
    if (returned_cv_.wait_for(lock, kSampleInterval,
                              [this] { return returned_; })) {
      return Seen::kReturned;
    }
    if (Clock::now() >= deadline) return Seen::kStillRunning;
    pid_t tid = tid_.load();
    if (tid == 0) continue;
    // Sampled without the lock, so the thread never waits for us.
    lock.unlock();
    char state = ThreadState(tid);
    long voluntary = ThreadContextSwitches(tid).voluntary;
    lock.lock();
    if (IsAsleep(state) && voluntary == last_voluntary) {
      if (++asleep_in_a_row >= kAsleepSamples) return Seen::kAsleep;
    } else {
      asleep_in_a_row = IsAsleep(state) ? 1 : 0;
    }
    last_voluntary = voluntary;
  }
}

void ObservedCall::FinishOrFail(const std::string& summary,
                                const std::function<void()>& explain) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (returned_cv_.wait_until(lock, DeadlineFromNow(),
                              [this] { return returned_; })) {
    return;
  }
  lock.unlock();
  if (explain) explain();
  FailNow(summary);
}

}  // namespace pool_driver
