// What a psh-script test checks once both shells ran to the end: each check
// compares the student's run with the reference's and returns its findings
// (problems, and the evidence that shows them). psh_script_kind.cc runs the
// checks a test asks for, in order, and reports every problem found.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/spec.h"
#include "core/test_result.h"
#include "pipeline/fd_report.h"
#include "pipeline/psh_run.h"
#include "pipeline/status_rule.h"

namespace ipclab {

struct Findings {
  std::vector<Problem> problems;
  std::vector<Section> evidence;
};

/// Everything the run of `mine` shows against `ref`, for the checks in
/// `compare` (stdout, status, files) and the test's other parameters
/// (files, stderr_empty, reports, min_reports). Left-behind processes are
/// always checked.
Findings CheckRun(const Params& p, const std::set<std::string>& compare,
                  const StatusRule& rule, const PshRun& mine,
                  const PshRun& ref);

/// Empty when the student's file has the reference's mode; else why not,
/// with the rule for files that `>` creates (0666 less the umask).
std::string CheckFileMode(const std::string& file, int mine, int ref);

}  // namespace ipclab
