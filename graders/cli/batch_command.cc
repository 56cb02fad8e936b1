#include "cli/batch_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "batch/batch_run.h"
#include "batch/merge.h"
#include "cli/commands.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

// "I/N" with 1 <= I <= N.
bool ParseShard(const std::string& text, int& index, int& count) {
  if (text.empty()) return true;
  char extra = 0;
  return std::sscanf(text.c_str(), "%d/%d%c", &index, &count, &extra) == 2 &&
         count >= 1 && index >= 1 && index <= count;
}

// The split between submissions at once and tests at once in each (see
// docs/instructors.md): one grading keeps about two test processes busy (a
// test runs the reference and the student's program one after the other,
// and much of a test is waiting), so by default a batch runs one
// submission per core and each grading one test per core it is left.
void ChooseParallelism(const BatchCliOptions& cli, BatchOptions& o) {
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  o.jobs = cli.jobs > 0 ? cli.jobs : cores;
  o.tests_per_job = cli.test_jobs > 0
                        ? cli.test_jobs
                        : std::max(1, (cores + o.jobs - 1) / o.jobs);
}

}  // namespace

int BatchCommand(const BatchCliOptions& cli) {
  BatchOptions o;
  auto lab = LoadLab(cli.lab, &o.spec_path, cli.tests_from);
  if (!lab) return 2;
  if (!cli.tests_from.empty()) o.overlay_path = fs::absolute(cli.tests_from);
  if (!ParseShard(cli.shard, o.shard_index, o.shard_count)) {
    std::cerr << "ipclab batch: --shard takes I/N with 1 <= I <= N, such as "
                 "2/4 (the second of four shards); got '"
              << cli.shard << "'\n";
    return 2;
  }
  std::error_code ec;
  o.grader = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    std::cerr << "ipclab batch: cannot find its own executable: "
              << ec.message() << "\n";
    return 2;
  }
  o.version = cli.version;
  for (const std::string& s : cli.submissions) o.submissions.push_back(s);
  o.out = fs::absolute(cli.out);
  fs::create_directories(o.out, ec);
  if (ec) {
    std::cerr << "ipclab batch: cannot create " << o.out.string() << ": "
              << ec.message() << "\n";
    return 2;
  }
  o.regrade = cli.regrade;
  o.time_per_submission = std::chrono::seconds(cli.time_per_submission);
  o.build_cache = cli.build_cache;
  ChooseParallelism(cli, o);
  return RunBatch(*lab, o);
}

int MergeCommand(const MergeCliOptions& cli) {
  auto lab = LoadLab(cli.lab, nullptr, cli.tests_from);
  if (!lab) return 2;
  std::vector<fs::path> inputs(cli.inputs.begin(), cli.inputs.end());
  return MergeBatches(*lab, inputs, fs::absolute(cli.out));
}

}  // namespace ipclab
