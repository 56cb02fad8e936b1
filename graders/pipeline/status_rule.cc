#include "pipeline/status_rule.h"

#include <cstdlib>

#include "core/exit_status.h"

namespace ipclab {
namespace {

// The rule every test applies unless it names a more specific one.
constexpr const char* kDefaultRule =
    "a script's status is that of the last line it ran, and a pipeline's "
    "status is that of its last command (POSIX: sh, EXIT STATUS; XCU 2.9.2 "
    "Pipelines)";

std::optional<int> ParseStatus(const std::string& word) {
  char* end = nullptr;
  const long v = std::strtol(word.c_str(), &end, 10);
  if (word.empty() || *end != '\0' || v < 0 || v > 255) return std::nullopt;
  return int(v);
}

std::string Wanted(const StatusRule& rule, int reference) {
  if (!rule.lo) return DescribeShellStatus(reference);
  if (*rule.lo == *rule.hi) return std::to_string(*rule.lo);
  return "from " + std::to_string(*rule.lo) + " to " + std::to_string(*rule.hi);
}

bool Satisfies(const StatusRule& rule, int status, int reference) {
  if (!rule.lo) return status == reference;
  return status >= *rule.lo && status <= *rule.hi;
}

}  // namespace

Result<StatusRule> StatusRuleFromParams(const Params& p) {
  StatusRule rule;
  rule.rule = p.String("status_rule", kDefaultRule);
  if (!p.Has("status_range")) return rule;
  const auto range = p.StringList("status_range");
  if (range.size() != 2) {
    return Error{"'status_range' is [LOW, HIGH], two statuses"};
  }
  rule.lo = ParseStatus(range[0]);
  rule.hi = ParseStatus(range[1]);
  if (!rule.lo || !rule.hi || *rule.lo > *rule.hi) {
    return Error{"'status_range' needs two statuses 0-255, LOW <= HIGH"};
  }
  if (!p.Has("status_rule")) {
    return Error{
        "a 'status_range' needs a 'status_rule' that says where the "
        "range comes from"};
  }
  return rule;
}

std::string JudgeStatus(const StatusRule& rule, int mine, int reference) {
  if (Satisfies(rule, mine, reference)) return {};
  return "The exit status is " + DescribeShellStatus(mine) +
         ", where it should be " + Wanted(rule, reference) + ": " + rule.rule +
         ".";
}

std::string CheckReferenceStatus(const StatusRule& rule, int reference) {
  if (!rule.lo || Satisfies(rule, reference, reference)) return {};
  return "The reference shell exited with " + DescribeShellStatus(reference) +
         ", outside the range this test accepts (" + Wanted(rule, reference) +
         "), so the grader cannot judge it (not your fault).";
}

}  // namespace ipclab
