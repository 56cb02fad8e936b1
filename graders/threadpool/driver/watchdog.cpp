#include "watchdog.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "report.hpp"

namespace pool_driver {
namespace {

Watchdog* installed = nullptr;

}  // namespace

Watchdog::Watchdog() : thread_([this] { Run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  thread_.join();
}

void Watchdog::Arm(std::function<std::string()> summary,
                   std::function<void()> explain, Clock::duration limit,
                   const std::atomic<long>* progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = true;
  deadline_ = Clock::now() + limit;
  limit_ = limit;
  progress_ = progress;
  if (progress_ != nullptr) last_progress_ = progress_->load();
  summary_ = std::move(summary);
  explain_ = std::move(explain);
  changed_.notify_all();
}

void Watchdog::Disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
  summary_ = nullptr;
  explain_ = nullptr;
  progress_ = nullptr;
  changed_.notify_all();
}

void Watchdog::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (!armed_) {
      // Unarmed, the watchdog sleeps without a timeout: it must not add
      // wakeups of its own to the idle measurements.
      changed_.wait(lock);
    } else if (Clock::now() < deadline_) {
      changed_.wait_until(lock, deadline_);
    } else if (progress_ != nullptr && progress_->load() != last_progress_) {
      last_progress_ = progress_->load();
      deadline_ = Clock::now() + limit_;
    } else {
      // The mutex stays locked: the process ends here, and nobody may
      // re-arm in the meantime.
      if (explain_) explain_();
      FailNow(summary_());
    }
  }
}

void InstallWatchdog(Watchdog* watchdog) { installed = watchdog; }

WatchdogScope::WatchdogScope(std::string summary, std::function<void()> explain,
                             Clock::duration limit,
                             const std::atomic<long>* progress)
    : WatchdogScope([text = std::move(summary)] { return text; },
                    std::move(explain), limit, progress) {}

WatchdogScope::WatchdogScope(std::function<std::string()> summary,
                             std::function<void()> explain,
                             Clock::duration limit,
                             const std::atomic<long>* progress) {
  if (installed == nullptr) {
    // A driver bug, not the student's: every path through main installs it.
    std::fputs("pool-driver: no watchdog installed\n", stderr);
    std::abort();
  }
  installed->Arm(std::move(summary), std::move(explain), limit, progress);
}

WatchdogScope::~WatchdogScope() { installed->Disarm(); }

}  // namespace pool_driver
