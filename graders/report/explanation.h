// The plain-text story of one result, shared by the file reporters (the
// JUnit failure text, the Gradescope test output), so both tell a student
// the same thing in the same order: what went wrong, the evidence, the hint,
// and how to rerun just this test.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/test_result.h"

namespace ipclab {

/// What every reporter shows instead of a hidden test's sections.
inline constexpr std::string_view kHiddenDetailsNote =
    "Details are hidden for this test.";

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
/// A hidden test keeps its summary; its sections, hint and rerun command are
/// replaced by kHiddenDetailsNote.
std::string Explain(const TestResult& result, Sanitizer sanitize,
                    const ExplanationLimits& limits = {});

}  // namespace ipclab
