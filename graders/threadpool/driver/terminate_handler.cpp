#include "terminate_handler.hpp"

#include <exception>
#include <string>

#include "exception_text.hpp"
#include "report.hpp"

namespace pool_driver {
namespace {

// What was being thrown when terminate was called, if anything.
std::string ExceptionInFlight() {
  std::exception_ptr current = std::current_exception();
  if (current == nullptr) return "";
  try {
    std::rethrow_exception(current);
  } catch (const std::exception& error) {
    return DescribeException(error);
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

[[noreturn]] void OnTerminate() {
  std::string thrown = ExceptionInFlight();
  if (thrown.empty()) {
    // E.g. a joinable std::thread destroyed without join() or detach().
    FailNow(
        "the program called std::terminate (no exception was in "
        "flight; destroying a std::thread that was never joined does "
        "this)");
  }
  Detail("std::terminate was called while " + thrown + " was in flight");
  // Usually a task's exception that the worker did not catch; but the
  // pool's own calls throw too (std::thread, join(), mutexes throw
  // std::system_error), so say both.
  FailNow(thrown +
          " escaped a thread and ended the program. If a task threw it, the "
          "worker must catch it, report it on stderr and go on with the "
          "next task; if your pool's own code threw it (std::system_error "
          "comes from std::thread and mutexes: join() of a thread that is "
          "not joinable, for one), fix that call");
}

}  // namespace

void InstallTerminateHandler() { std::set_terminate(OnTerminate); }

}  // namespace pool_driver
