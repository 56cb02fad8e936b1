// The plain-text story of one result, shared by the file reporters (the
// JUnit failure text, the Gradescope test output), so both tell a student
// the same thing in the same order: what went wrong, the evidence, the hint,
// and how to rerun just this test.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/test_result.h"
#include "report/cause_groups.h"

namespace ipclab {

/// Makes a byte string safe for one output format (XmlSafe, JsonSafe, ...).
using Sanitizer = std::string (*)(std::string_view);

struct ExplanationLimits {
  std::size_t body_bytes = 16 * 1024;   // Per section, after sanitizing.
  std::size_t total_bytes = 64 * 1024;  // The whole text.
};

/// The summary, then each section as "Title:" with its body indented by two
/// spaces, then "Hint: ..." and "Rerun: ..." (the last two only for a test
/// that did not pass). Every piece goes through `sanitize` before it is cut
/// to the limits, so cuts land on character boundaries of the final text.
/// (Tests students may not see never get here in a student-facing report:
/// report/student_view.h leaves them out whole.)
///
/// With `groups` (GroupByCause of the whole run), a test whose cause is
/// shared starts with the group's LeadLine; the group's first test then
/// gives the whole story, the others only their summary, the group's
/// ReferenceLine and their rerun command.
std::string Explain(const TestResult& result, Sanitizer sanitize,
                    const ExplanationLimits& limits = {},
                    const std::vector<CauseGroup>* groups = nullptr);

}  // namespace ipclab
