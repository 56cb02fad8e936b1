#include "report/student_view.h"

#include <utility>

namespace ipclab {

bool ShownToStudents(Visibility visibility) {
  return visibility == Visibility::kVisible;
}

RunSummary ForStudents(const RunSummary& summary) {
  RunSummary view = summary;
  view.results.clear();
  for (const TestResult& r : summary.results) {
    if (ShownToStudents(r.visibility)) {
      view.results.push_back(r);
      continue;
    }
    ++view.withheld;
    view.points -= r.points;
    view.max_points -= r.max_points;
  }
  // Tests are withheld whole, so what is left is a sum of shown points;
  // only rounding could take it below zero.
  if (view.points < 0) view.points = 0;
  if (view.max_points < 0) view.max_points = 0;
  view.info.test_count = view.results.size();
  view.info.max_points = view.max_points;
  return view;
}

std::string WithheldText(std::size_t count) {
  const std::string n = std::to_string(count);
  return count == 1
             ? "1 more test was graded that your instructor keeps hidden: its "
               "result is not shown here, and the score above leaves it out."
             : n + " more tests were graded that your instructor keeps "
                   "hidden: their results are not shown here, and the score "
                   "above leaves them out.";
}

StudentView::StudentView(std::unique_ptr<Reporter> inner,
                         const std::vector<const TestSpec*>& tests)
    : inner_(std::move(inner)) {
  for (const TestSpec* t : tests) {
    if (ShownToStudents(t->visibility)) continue;
    ++withheld_count_;
    withheld_points_ += t->points;
  }
}

void StudentView::OnRunStart(const RunInfo& info) {
  RunInfo view = info;
  view.test_count -= std::min(view.test_count, withheld_count_);
  view.max_points -= withheld_points_;
  if (view.max_points < 0) view.max_points = 0;
  inner_->OnRunStart(view);
}

void StudentView::OnTestEnd(const TestResult& result) {
  if (ShownToStudents(result.visibility)) inner_->OnTestEnd(result);
}

Status StudentView::OnRunEnd(const RunSummary& summary) {
  return inner_->OnRunEnd(ForStudents(summary));
}

}  // namespace ipclab
