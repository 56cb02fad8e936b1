// Gradescope's results.json (gradescope-autograders.readthedocs.io, "specs").
// Gradescope shows "The autograder failed to execute correctly" for a
// missing or malformed file, so it is built in memory from sanitized strings
// and finite numbers, and written once, atomically.
#pragma once

#include <filesystem>
#include <string>

#include "core/reporter.h"

namespace ipclab {

/// The results.json document for a run: top-level score, max_score,
/// execution_time, a one-line output, output_format and test_output_format
/// "md", stdout_visibility, and one entry per test with its name, number,
/// score, max_score, status, output (Markdown), visibility and tags (kind,
/// lecture topic).
std::string RenderGradescope(const RunSummary& summary);

class GradescopeReporter : public Reporter {
 public:
  /// Writes the results to `out` (on Gradescope,
  /// /autograder/results/results.json) at the end of the run.
  explicit GradescopeReporter(std::filesystem::path out);

  Status OnRunEnd(const RunSummary& summary) override;

 private:
  std::filesystem::path out_;
};

}  // namespace ipclab
