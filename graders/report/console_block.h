// One failure block of the console report, within a line budget: a student
// reads 25 lines, not 29,000. The hint, the "Try it yourself" section and
// the rerun command always show; evidence is cut first, long lines are cut,
// and the cut is said once, with where to see the whole.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/test_result.h"

namespace ipclab {

struct BlockLimits {
  bool verbose = false;               // No budget, nothing cut.
  std::size_t lines = 25;             // Whole block, header included.
  std::size_t width = 120;            // A body line longer than this is cut.
  std::size_t wrap = 100;             // Prose (hints) wraps at this column.
  std::size_t body_bytes = 4 * 1024;  // Raw bytes looked at per body.
};

/// The block: `header` lines as given (already safe and short), then the
/// result's sections, hint and rerun command (or the hidden-test note).
std::string RenderBlock(const std::vector<std::string>& header,
                        const TestResult& result, const BlockLimits& limits);

/// `text` wrapped at `width` columns; the first line starts with `first`,
/// the others with `rest`. Words longer than a line stay whole.
std::string Wrap(std::string_view text, std::string_view first,
                 std::string_view rest, std::size_t width);

}  // namespace ipclab
