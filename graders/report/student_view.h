// What a student may see of a grading. Tests whose visibility is not
// `visible` (hidden tests, usually from an instructor's overlay) are graded
// as any other, but a student-facing report leaves them out: no id, title,
// hint, output or points, only how many there were. `ipclab grade` reports
// through this view unless --instructor is given; `ipclab batch` and
// Gradescope's run_autograder grade with --instructor (Gradescope applies
// the visibilities itself).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/reporter.h"
#include "core/spec.h"

namespace ipclab {

/// Whether a student-facing report may show a test of this visibility.
bool ShownToStudents(Visibility visibility);

/// The results a student may see: withheld tests removed, the score and
/// the maximum without them, and `withheld` counting them.
RunSummary ForStudents(const RunSummary& summary);

/// What a student-facing report says of `count` withheld tests, in one
/// sentence.
std::string WithheldText(std::size_t count);

/// Passes on to `inner` only what students may see of a run of `tests`
/// (the tests selected to run).
class StudentView : public Reporter {
 public:
  StudentView(std::unique_ptr<Reporter> inner,
              const std::vector<const TestSpec*>& tests);
  void OnRunStart(const RunInfo& info) override;
  void OnTestEnd(const TestResult& result) override;
  Status OnRunEnd(const RunSummary& summary) override;

 private:
  std::unique_ptr<Reporter> inner_;
  std::size_t withheld_count_ = 0;
  double withheld_points_ = 0;
};

}  // namespace ipclab
