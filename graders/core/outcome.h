// The closed set of test outcomes. Every consumer (console, JUnit, Gradescope,
// exit code, score) reads the one table in outcome.cc; nothing re-derives
// "did it fail?" on its own.
#pragma once

#include <string_view>

namespace ipclab {

enum class Outcome {
  kPass,         // Behaved as required.
  kFail,         // Ran, and a positive witness shows wrong behaviour.
  kCrash,        // The student's program was killed by a signal.
  kTimeout,      // Still running far beyond what a correct program needs.
  kOutputLimit,  // Printed more than the cap; stopped.
  kError,        // The grader itself could not judge (its fault, not yours).
  kSkipped,      // Not run, with a reason (e.g. the build failed).
};

/// How an outcome appears in a JUnit report.
enum class JUnitElement { kNone, kFailure, kError, kSkipped };

struct OutcomeInfo {
  std::string_view label;  // Short, lower case: "pass", "timeout".
  std::string_view mark;   // Console mark: "PASS", "FAIL", ...
  bool is_failure;         // Counts against an "all passed" exit code.
  JUnitElement junit;
  std::string_view gradescope_status;  // "passed" or "failed".
};

const OutcomeInfo& Info(Outcome outcome);

}  // namespace ipclab
