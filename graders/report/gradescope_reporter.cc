#include "report/gradescope_reporter.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "core/outcome.h"
#include "report/atomic_file.h"
#include "report/explanation.h"
#include "report/number_format.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// Gradescope documents no size limit for a test's output, but it is shown in
// a browser; a capped story reads better than a frozen tab.
constexpr ExplanationLimits kOutputLimits{16 * 1024, 64 * 1024};

// "Hidden" means students do not see the test until the instructor publishes
// grades; the test's details are left out as everywhere else.
const char* VisibilityOf(Visibility visibility) {
  return visibility == Visibility::kHidden ? "after_published" : "visible";
}

// Leads with the causes that several tests share, as the console does.
std::string RunOutput(const RunSummary& summary,
                      const std::vector<CauseGroup>& groups) {
  std::string out;
  for (const CauseGroup& g : groups) {
    out += LeadLine(g, &g == &groups.front()) + " Tests: " + TestIds(g) + ".\n";
  }
  return out + TallyText(Count(summary.results)) +
         ". Score: " + FormatPoints(summary.points) + "/" +
         FormatPoints(summary.max_points);
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
        {"output", Explain(r, &JsonSafe, kOutputLimits, &groups)},
        {"visibility", VisibilityOf(r.visibility)},
    });
  }
  const nlohmann::json results = {
      {"score", RoundForJson(summary.points)},
      {"max_score", RoundForJson(summary.max_points)},
      {"execution_time", RoundForJson(summary.seconds)},
      {"output", JsonSafe(RunOutput(summary, groups))},
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
