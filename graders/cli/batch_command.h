// `ipclab batch` and `ipclab merge`: the command-line side (argument checks,
// defaults); the work is graders/batch/batch_run.
#pragma once

#include <string>
#include <vector>

namespace ipclab {

struct BatchCliOptions {
  std::string version;  // `ipclab --version`: part of every result key.
  std::string lab;
  std::vector<std::string> submissions;
  std::string out;
  int jobs = 0;       // 0: chosen from the machine's cores (see BatchCommand).
  int test_jobs = 0;  // Each grading's --jobs; 0: chosen likewise.
  bool regrade = false;
  std::string shard;  // "I/N", 1-based.
  int time_per_submission = 600;
  std::string build_cache;
  std::string tests_from;  // An instructor's test overlay.
};

int BatchCommand(const BatchCliOptions& options);

struct MergeCliOptions {
  std::string lab;
  std::vector<std::string> inputs;  // Batch output folders (shards).
  std::string out;
  std::string tests_from;  // The overlay the shards were graded with.
};

/// `ipclab merge`: see batch/merge.h.
int MergeCommand(const MergeCliOptions& options);

}  // namespace ipclab
