#include "outcome.h"

#include <array>

namespace ipclab {
namespace {

// The student's fault maps to <failure>, the grader's to <error>. A skipped
// test is a failure for the exit code: the student did not earn its points.
constexpr std::array<OutcomeInfo, 7> kTable = {{
    {"pass", "PASS", false, JUnitElement::kNone, "passed"},
    {"fail", "FAIL", true, JUnitElement::kFailure, "failed"},
    {"crash", "CRASH", true, JUnitElement::kFailure, "failed"},
    {"timeout", "TIMEOUT", true, JUnitElement::kFailure, "failed"},
    {"output limit", "OUTPUT", true, JUnitElement::kFailure, "failed"},
    {"error", "ERROR", true, JUnitElement::kError, "failed"},
    {"skipped", "SKIP", true, JUnitElement::kSkipped, "failed"},
}};

}  // namespace

const OutcomeInfo& Info(Outcome outcome) {
  return kTable[static_cast<int>(outcome)];
}

}  // namespace ipclab
