// Tests that failed for the same known cause, so every reporter can lead
// with the cause once ("26 tests failed because commands were never waited
// for: fix this first") and refer to it from each test in one line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/test_result.h"

namespace ipclab {

struct CauseGroup {
  Cause cause;
  std::vector<const TestResult*> tests;  // In report order; at least two.
};

/// Failed tests (not skipped ones) grouped by a known cause that at least
/// two of them share; the largest group first, ties in report order.
std::vector<CauseGroup> GroupByCause(const std::vector<TestResult>& results);

/// The group `result` belongs to, or null.
const CauseGroup* GroupOf(const std::vector<CauseGroup>& groups,
                          const TestResult& result);

/// "26 tests failed because commands were never waited for
/// (unreaped-children): fix this first." (`first`: the run's first group;
/// the others say "fix this next").
std::string LeadLine(const CauseGroup& group, bool first);

/// The other problems the group's tests found (TestResult::also), at most
/// `max_lines` of them, "ID: problem"; empty when there are none. Shown
/// under kAlsoFoundTitle.
inline constexpr const char* kAlsoFoundTitle =
    "Also found in these tests (it may go away with the fix; if not, rerun "
    "them)";
std::string AlsoFound(const CauseGroup& group, std::size_t max_lines);

/// "Cause: unreaped-children, shared by 26 tests; the explanation and the
/// hint are under two-stages." The one line a grouped test gets besides
/// its own summary and rerun command.
std::string ReferenceLine(const CauseGroup& group);

/// The ids of the group's tests, ", "-separated.
std::string TestIds(const CauseGroup& group);

/// How many tests were not run, and how many failed otherwise: skipped
/// tests are "not run", never "failed".
struct Tally {
  std::size_t passed = 0, failed = 0, not_run = 0;
};
Tally Count(const std::vector<TestResult>& results);

/// "22 passed, 31 failed, 1 not run" (the last part only when some were).
std::string TallyText(const Tally& tally);

}  // namespace ipclab
