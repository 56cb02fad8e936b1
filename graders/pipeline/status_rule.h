// Which exit statuses a psh-script test accepts, and the rule behind them.
// Where POSIX fixes one value (127 for a command not found), the student's
// shell must give the reference's status; where POSIX allows a range (1-125
// after a syntax error or a failed redirection, >0 after a failed cd), any
// status in the range passes. Every message names the rule and its source
// (POSIX, with the section, or the lab's own contract), so a student who
// checks with another shell knows what is required and why.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "core/spec.h"

namespace ipclab {

struct StatusRule {
  /// Inclusive bounds; unset: the status must equal the reference's.
  std::optional<int> lo, hi;
  /// "Rule (source)": what the status must be and who says so.
  std::string rule;
};

/// From the test's `status_range` and `status_rule`; an error names the
/// parameter that is wrong.
Result<StatusRule> StatusRuleFromParams(const Params& p);

/// Empty when `mine` satisfies the rule; else a headline for the student.
/// `reference` is the reference shell's status in the same run.
std::string JudgeStatus(const StatusRule& rule, int mine, int reference);

/// Empty when the reference satisfies the rule (a grader bug otherwise).
std::string CheckReferenceStatus(const StatusRule& rule, int reference);

}  // namespace ipclab
