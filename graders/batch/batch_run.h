// `ipclab batch`: grades many submissions, each in its own `ipclab grade`
// process with a wall budget, several at once, and resumes where a killed
// batch stopped. docs/instructors.md is the user's guide.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/spec.h"

namespace ipclab {

struct BatchOptions {
  std::filesystem::path grader;     // The ipclab executable for gradings.
  std::filesystem::path spec_path;  // The lab.yaml (part of each result key).
  /// The instructor's test overlay, or empty (part of each result key).
  std::filesystem::path overlay_path;
  std::string version;  // The grader's version (part of the key).
  std::vector<std::filesystem::path> submissions;
  std::filesystem::path out;
  int jobs = 1;           // Submissions graded at once.
  int tests_per_job = 1;  // Each grading's --jobs.
  bool regrade = false;
  int shard_index = 1, shard_count = 1;
  std::chrono::seconds time_per_submission{600};
  std::string build_cache;
};

/// Grades every submission of the shard that has no finished result for
/// its current content (or all of them with `regrade`), then writes
/// OUT/gradebook.csv and OUT/summary.json over every finished one. Returns
/// the exit status: 0 once every submission has a result, whatever its
/// score; 2 when the batch itself could not run.
int RunBatch(const LabSpec& lab, const BatchOptions& options);

}  // namespace ipclab
