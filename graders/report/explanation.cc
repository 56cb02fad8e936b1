#include "report/explanation.h"

#include "core/outcome.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// Indents every line so a body that itself contains "Hint:" or a line that
// looks like a section title cannot be mistaken for the report's structure.
void AppendIndented(std::string& out, std::string_view body) {
  while (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  if (body.empty()) {
    out += "  (empty)\n";
    return;
  }
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    out += "  ";
    out += body.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
}

// Separates blocks with one blank line.
void StartBlock(std::string& out) {
  if (!out.empty()) out += '\n';
}

}  // namespace

std::string Explain(const TestResult& result, Sanitizer sanitize,
                    const ExplanationLimits& limits,
                    const std::vector<CauseGroup>* groups) {
  std::string out;
  const CauseGroup* group =
      groups == nullptr ? nullptr : GroupOf(*groups, result);
  if (group != nullptr) {
    out += sanitize(LeadLine(*group, group == &groups->front())) + "\n\n";
  }
  if (!result.summary.empty()) {
    out += Truncate(sanitize(result.summary), limits.body_bytes);
    out += '\n';
  }
  if (group != nullptr && group->tests.front() != &result) {
    StartBlock(out);
    out += sanitize(ReferenceLine(*group)) + "\n";
    if (!result.rerun.empty()) {
      out += "Rerun: " + Truncate(sanitize(result.rerun), limits.body_bytes) +
             "\n";
    }
    return Truncate(out, limits.total_bytes);
  }
  if (group != nullptr) {
    StartBlock(out);
    out += sanitize("The same cause in: " + TestIds(*group) + ".") + "\n";
    const std::string also = AlsoFound(*group, 10);
    if (!also.empty()) {
      StartBlock(out);
      out += std::string(kAlsoFoundTitle) + ":\n";
      AppendIndented(out, sanitize(also));
    }
  }
  for (const Section& section : result.sections) {
    StartBlock(out);
    out += sanitize(section.title);
    out += ":\n";
    AppendIndented(out, Truncate(sanitize(section.body), limits.body_bytes));
  }
  if (Info(result.outcome).is_failure &&
      (!result.hint.empty() || !result.rerun.empty())) {
    StartBlock(out);
    if (!result.hint.empty()) {
      out +=
          "Hint: " + Truncate(sanitize(result.hint), limits.body_bytes) + "\n";
    }
    if (!result.rerun.empty()) {
      out += "Rerun: " + Truncate(sanitize(result.rerun), limits.body_bytes) +
             "\n";
    }
  }
  return Truncate(out, limits.total_bytes);
}

}  // namespace ipclab
