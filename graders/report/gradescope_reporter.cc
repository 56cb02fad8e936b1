#include "report/gradescope_reporter.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/outcome.h"
#include "report/atomic_file.h"
#include "report/explanation.h"
#include "report/number_format.h"
#include "report/student_view.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// Gradescope documents no size limit for a test's output, but it is shown in
// a browser; a capped story reads better than a frozen tab.
constexpr ExplanationLimits kOutputLimits{16 * 1024, 64 * 1024};

// Gradescope's own words for who sees a test (core/spec.h).
std::string VisibilityOf(Visibility visibility) {
  return std::string(VisibilityName(visibility));
}

// How long a visibility keeps a test from students, for the strictest of
// several: visible, then after the due date, after publishing, never.
int Strictness(Visibility visibility) {
  switch (visibility) {
    case Visibility::kVisible:
      return 0;
    case Visibility::kAfterDueDate:
      return 1;
    case Visibility::kAfterPublished:
      return 2;
    case Visibility::kHidden:
      return 3;
  }
  return 3;
}

// Gradescope shows every output as Markdown (output_format "md"). The story
// goes in a fenced block, longer than any run of backticks in it, so what a
// student's program printed is shown as it was, never read as Markdown or
// HTML.
std::string MarkdownOutput(const TestResult& r,
                           const std::vector<CauseGroup>& groups) {
  const std::string text = Explain(r, &JsonSafe, kOutputLimits, &groups);
  if (text.empty()) return text;
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  const bool newline = text.back() == '\n';
  return fence + "text\n" + text + (newline ? "" : "\n") + fence + "\n";
}

// The test's kind, then its lecture topic when the lab names one.
nlohmann::json Tags(const TestResult& r) {
  nlohmann::json tags = nlohmann::json::array();
  if (!r.kind.empty()) tags.push_back(JsonSafe(r.kind));
  if (!r.topic.empty()) tags.push_back(JsonSafe(r.topic));
  return tags;
}

// The log of run_autograder is the console report, which shows every test
// it graded: students may see it only when they may see every one of them.
std::string StdoutVisibility(const RunSummary& summary) {
  Visibility strictest = Visibility::kVisible;
  for (const TestResult& r : summary.results) {
    if (Strictness(r.visibility) > Strictness(strictest)) {
      strictest = r.visibility;
    }
  }
  return VisibilityOf(strictest);
}

// Leads with the causes that several tests share, as the console does.
std::string RunOutput(const RunSummary& summary,
                      const std::vector<CauseGroup>& groups) {
  std::string out;
  for (const CauseGroup& g : groups) {
    out += LeadLine(g, &g == &groups.front()) + " Tests: " + TestIds(g) + ".\n";
  }
  out += TallyText(Count(summary.results)) +
         ". Score: " + FormatPoints(summary.points) + "/" +
         FormatPoints(summary.max_points);
  if (summary.withheld > 0) out += ". " + WithheldText(summary.withheld);
  return out;
}

}  // namespace

std::string RenderGradescope(const RunSummary& summary) {
  const std::vector<CauseGroup> groups = GroupByCause(summary.results);
  nlohmann::json tests = nlohmann::json::array();
  std::size_t number = 0;
  for (const TestResult& r : summary.results) {
    ++number;
    tests.push_back({
        {"name", JsonSafe(r.title.empty() ? r.id : r.id + ": " + r.title)},
        {"number", std::to_string(number)},
        {"score", RoundForJson(r.points)},
        {"max_score", RoundForJson(r.max_points)},
        {"status", std::string(Info(r.outcome).gradescope_status)},
        {"output", MarkdownOutput(r, groups)},
        {"visibility", VisibilityOf(r.visibility)},
        {"tags", Tags(r)},
    });
  }
  const nlohmann::json results = {
      {"score", RoundForJson(summary.points)},
      {"max_score", RoundForJson(summary.max_points)},
      {"execution_time", RoundForJson(summary.seconds)},
      {"output", JsonSafe(RunOutput(summary, groups))},
      {"output_format", "md"},
      {"test_output_format", "md"},
      {"stdout_visibility", StdoutVisibility(summary)},
      {"tests", std::move(tests)},
  };
  // Every string is already valid UTF-8; `replace` keeps dump() from
  // throwing should one slip through anyway. ensure_ascii=false keeps the
  // file readable (student output in any script stays as it was).
  return results.dump(2, ' ', /*ensure_ascii=*/false,
                      nlohmann::json::error_handler_t::replace) +
         "\n";
}

GradescopeReporter::GradescopeReporter(std::filesystem::path out)
    : out_(std::move(out)) {}

Status GradescopeReporter::OnRunEnd(const RunSummary& summary) {
  return WriteFileAtomically(out_, RenderGradescope(summary));
}

}  // namespace ipclab
