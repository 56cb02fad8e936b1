// pool-driver SCENARIO: the threadpool lab's test program. The grader
// compiles it together with a submission's *.cpp files (three times: plain,
// ThreadSanitizer, AddressSanitizer + UBSan) and runs one scenario per
// process. Output protocol: see report.hpp; exit status 0 PASS, 1 FAIL,
// 2 usage error. `pool-driver --list` prints the scenario names.
#include <cstdio>
#include <cstring>
#include <exception>

#include "exception_text.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "terminate_handler.hpp"
#include "watchdog.hpp"

namespace {

struct Scenario {
  const char* name;
  void (*run)();
};

constexpr Scenario kScenarios[] = {
    {"exactly-once", pool_driver::ExactlyOnce},
    {"many-producers", pool_driver::ManyProducers},
    {"parallelism", pool_driver::Parallelism},
    {"thread-bound", pool_driver::ThreadBound},
    {"fifo", pool_driver::Fifo},
    {"bounded-queue", pool_driver::BoundedQueue},
    {"unbounded-queue", pool_driver::UnboundedQueue},
    {"wait-not-early", pool_driver::WaitNotEarly},
    {"wait-idle", pool_driver::WaitIdle},
    {"wait-concurrent", pool_driver::WaitConcurrent},
    {"wait-lost-wakeup", pool_driver::WaitLostWakeup},
    {"destructor-drains", pool_driver::DestructorDrains},
    {"schedule-from-task", pool_driver::ScheduleFromTask},
    {"exceptions", pool_driver::Exceptions},
    {"zero-threads", pool_driver::ZeroThreads},
    {"idle-no-spin", pool_driver::IdleNoSpin},
    {"spurious", pool_driver::Spurious},
    {"spurious-bounded", pool_driver::SpuriousBounded},
    {"tsan-workload", pool_driver::SanitizerWorkload},
    {"asan-workload", pool_driver::SanitizerWorkload},
    {"throughput", pool_driver::Throughput},
};

int Usage() {
  std::fputs("usage: pool-driver SCENARIO\nscenarios:", stderr);
  for (const Scenario& scenario : kScenarios) {
    std::fprintf(stderr, " %s", scenario.name);
  }
  std::fputs("\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--list") == 0) {
    for (const Scenario& scenario : kScenarios) std::puts(scenario.name);
    return 0;
  }
  if (argc != 2) return Usage();
  const Scenario* chosen = nullptr;
  for (const Scenario& scenario : kScenarios) {
    if (std::strcmp(argv[1], scenario.name) == 0) chosen = &scenario;
  }
  if (chosen == nullptr) return Usage();

  pool_driver::InstallTerminateHandler();
  // Started before any pool exists, so its thread is in every baseline.
  pool_driver::Watchdog watchdog;
  pool_driver::InstallWatchdog(&watchdog);
  try {
    chosen->run();
  } catch (const std::exception& error) {
    // The scenarios themselves only throw if the system runs out of
    // memory or threads; in practice this is the pool.
    pool_driver::FailNow("the pool threw " +
                         pool_driver::DescribeException(error) +
                         " out of a call that should not throw");
  } catch (...) {
    pool_driver::FailNow(
        "the pool threw an exception that is not a std::exception out of a "
        "call that should not throw");
  }
  return pool_driver::Finish(pool_driver::Verdict::Pass());
}
