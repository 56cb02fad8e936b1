// The batch's class-wide outputs: gradebook.csv for a spreadsheet or an LMS
// import, and summary.json with the same data and per-test statistics.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "batch/batch_record.h"
#include "core/error.h"
#include "core/spec.h"

namespace ipclab {

/// One column of the gradebook: a test of the lab, in the lab's order.
struct GradebookColumn {
  std::string id;
  double max_points = 0;
};

/// CSV (RFC 4180): student, state, score, max_score, then each test's
/// points. A test that did not run (build failed, timed out) is an empty
/// cell, so "not run" and "0 points" stay apart.
std::string RenderGradebookCsv(const std::vector<BatchRecord>& records,
                               const std::vector<GradebookColumn>& columns);

/// The same data as JSON, plus per-test pass rates and timings and the
/// count of each state.
std::string RenderSummaryJson(const std::string& lab,
                              const std::vector<BatchRecord>& records,
                              const std::vector<GradebookColumn>& columns);

/// The lab's columns: the build, then each test in the lab's order.
std::vector<GradebookColumn> GradebookColumns(const LabSpec& lab);

/// Writes OUT/gradebook.csv, OUT/summary.json and OUT/index.html (the
/// dashboard), each atomically.
Status WriteClassReports(const std::filesystem::path& out, const LabSpec& lab,
                         const std::vector<BatchRecord>& records);

/// "6 submissions: 1 build failed, 5 graded." and where the reports are.
void PrintTotals(const std::vector<BatchRecord>& records,
                 const std::filesystem::path& out);

}  // namespace ipclab
