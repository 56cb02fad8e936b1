// The scenario program's output protocol, which the grader parses:
//
//   detail: TEXT            zero or more lines, what the test did and saw
//   PASS                    or
//   FAIL: ONE-LINE SUMMARY  exactly one final line
//
// on stdout, exit status 0 for PASS and 1 for FAIL (2 is a usage error,
// printed by main). Every line is flushed at once, so the details printed
// before a crash inside the student's pool still reach the grader.
#ifndef IPCLAB_POOL_DRIVER_REPORT_HPP_
#define IPCLAB_POOL_DRIVER_REPORT_HPP_

#include <string>

namespace pool_driver {

// The outcome of a scenario, or of one part of it.
struct Verdict {
  bool passed = true;
  std::string summary;  // Empty for a pass.

  static Verdict Pass() { return Verdict{}; }
  static Verdict Fail(std::string summary) {
    return Verdict{false, std::move(summary)};
  }
};

// printf into a std::string (g++ 12 has no std::format yet).
std::string Format(const char* format, ...)
    __attribute__((format(printf, 1, 2)));

// Scenarios that run several workloads (spurious) say which one a FAIL
// summary is about: from now on it reads "FAIL: CONTEXT: SUMMARY".
void SetFailContext(std::string context);

// Prints "detail: TEXT". Safe from any thread.
void Detail(const std::string& text);

// Prints the final line for `verdict` and returns the exit status.
int Finish(const Verdict& verdict);

// Prints "FAIL: SUMMARY" and ends the process at once with status 1,
// without running destructors: used when the pool is stuck, because
// destroying a stuck pool would hang the driver too.
[[noreturn]] void FailNow(const std::string& summary);

// Ends the process with FailNow if `verdict` is a failure. A failing pool
// is never destroyed: it may be stuck, and its destructor could hang.
inline void Require(const Verdict& verdict) {
  if (!verdict.passed) FailNow(verdict.summary);
}

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_REPORT_HPP_
