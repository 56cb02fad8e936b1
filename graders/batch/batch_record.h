// What a batch keeps per submission: its state, score and per-test cells,
// read back from the grading's own JUnit file and stored as record.json.
// record.json is written last and atomically: its presence means the
// submission is finished, which is what lets a killed batch resume.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace ipclab {

/// How a submission's grading ended. A closed set; docs/instructors.md
/// explains each.
enum class BatchState {
  kGraded,        // Every test ran; the score is the tests' points.
  kBuildFailed,   // The submission did not compile: score 0.
  kGradingError,  // The grader could not judge it (exit status 2, a crash).
  kTimedOut,      // The submission's wall budget ran out: score 0.
};

std::string_view StateName(BatchState s);  // "graded", "build failed", ...

struct TestCell {
  std::string id;
  std::string outcome;  // The outcome label: pass, fail, timeout, ...
  double points = 0;
  double max_points = 0;
  double seconds = 0;
};

struct BatchRecord {
  std::string id;
  BatchState state = BatchState::kGraded;
  std::string hash;  // Of the submission and what graded it (ResultKey).
  double score = 0;
  double max_score = 0;
  double seconds = 0;  // Wall time of the whole grading, build included.
  std::string note;    // Why, for the states other than graded.
  std::vector<TestCell> tests;
};

/// The cells of a JUnit file written by `ipclab grade --junit`.
Result<std::vector<TestCell>> ReadJUnitCells(
    const std::filesystem::path& junit);

std::string RecordToJson(const BatchRecord& record);
/// An Error for a missing or unreadable file: the submission is not done.
Result<BatchRecord> ReadRecord(const std::filesystem::path& path);

}  // namespace ipclab
