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
  FailNow(thrown +
          " escaped and ended the program; an exception thrown by "
          "a task must be caught by the worker, which reports it on stderr "
          "and goes on with the next task");
}

}  // namespace

void InstallTerminateHandler() { std::set_terminate(OnTerminate); }

}  // namespace pool_driver
