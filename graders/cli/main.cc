// ipclab: the one command students, instructors and CI run.
//
//   ipclab --version
//   ipclab list [LAB]
//   ipclab init LAB DIR
//   ipclab grade LAB (--submission DIR | --binary FILE) [--only PATTERN]
//                [--junit FILE] [--gradescope FILE] [--jobs N] [--repeat N]
//                [--build-cache DIR] [--verbose] [--keep] [--watch]
//                [--tests-from OVERLAY] [--instructor]
//   ipclab batch LAB SUBMISSION... --out DIR [--jobs N] [--test-jobs N]
//                [--regrade]
//                [--shard I/N] [--time-per-submission S] [--build-cache DIR]
//                [--tests-from OVERLAY]
//   ipclab merge LAB BATCH_OUT... --out DIR [--tests-from OVERLAY]
//
// Exit codes: 0 every test passed; 1 some test failed; 2 grading could not
// run or could not judge (usage, spec, missing file, an "error" result), so
// CI can tell a student's failure from a broken grader. `batch` exits 0 once
// every submission has a result (whatever the scores), 2 otherwise.
#include <sys/prctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/batch_command.h"
#include "cli/commands.h"
#include "cli/init_command.h"
#include "cli/watch_command.h"
#include "version.h"  // Generated at build time: graders/cli/version.cmake.

namespace {

CLI::App* AddListCommand(CLI::App& app, ipclab::ListOptions& list) {
  auto* list_cmd =
      app.add_subcommand("list", "List labs, their tests and points");
  list_cmd->add_option("lab", list.lab, "A lab name; all labs when omitted");
  return list_cmd;
}

// Where the graded program comes from, and what it is compared with.
void AddSubjectOptions(CLI::App* grade_cmd, ipclab::GradeOptions& grade) {
  grade_cmd->add_option("lab", grade.lab, "Lab name (or a path to a lab.yaml)")
      ->required();
  auto* sub = grade_cmd->add_option(
      "--submission", grade.submission,
      "Your source directory; the grader builds it with the lab's flags");
  auto* bin = grade_cmd->add_option("--binary", grade.binary,
                                    "A ready executable to grade");
  sub->excludes(bin);
  grade_cmd->add_option("--reference", grade.reference,
                        "Reference to compare with (a directory to build, or "
                        "an executable); default: the bundled one");
}

// Which tests run, how, and where the reports go.
void AddRunOptions(CLI::App* grade_cmd, ipclab::GradeOptions& grade) {
  // One pattern per --only (repeat it for several), so `--only ID LAB`
  // never takes LAB for a second pattern.
  grade_cmd
      ->add_option("--only", grade.only,
                   "Run only tests whose id matches (glob, or a word); "
                   "repeat it to run the tests any of them matches")
      ->allow_extra_args(false);
  grade_cmd->add_option("--junit", grade.junit, "Write JUnit XML here");
  grade_cmd->add_option("--gradescope", grade.gradescope,
                        "Write Gradescope results.json here");
  grade.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  grade_cmd->add_option("--jobs,-j", grade.jobs, "Tests to run at once")
      ->check(CLI::Range(1, 64));
  grade_cmd
      ->add_option("--repeat", grade.repeat,
                   "Run each test N times; it passes only if every run "
                   "passes (catches intermittent bugs)")
      ->check(CLI::Range(1, 100));
  grade_cmd->add_flag("--verbose,-v", grade.verbose,
                      "Show every line of output in failure details");
  grade_cmd->add_option(
      "--build-cache", grade.build_cache,
      "Compile through ccache with its cache in DIR: re-grading similar "
      "submissions then compiles only what changed (trusted code only)");
  grade_cmd->add_option("--tests-from", grade.tests_from,
                        "Add an instructor's test overlay (YAML in the "
                        "lab's format; see docs/instructors.md)");
  grade_cmd->add_flag("--instructor", grade.instructor,
                      "Report every test, hidden ones included (without "
                      "it, tests students may not see are graded but not "
                      "shown)");
  grade_cmd->add_flag("--keep", grade.keep,
                      "Keep each test's work directory under /tmp");
  grade_cmd->add_flag("--watch", grade.watch,
                      "With --submission: grade again whenever a source "
                      "file changes, the failing tests first");
}

CLI::App* AddBatchCommand(CLI::App& app, ipclab::BatchCliOptions& batch) {
  auto* cmd = app.add_subcommand(
      "batch", "Grade many submissions: a gradebook, resumable (instructors)");
  cmd->add_option("lab", batch.lab, "Lab name (or a path to a lab.yaml)")
      ->required();
  cmd->add_option("submissions", batch.submissions,
                  "Submission directories, or directories holding them "
                  "(see docs/instructors.md)")
      ->required();
  cmd->add_option("--out", batch.out, "Where results and the gradebook go")
      ->required();
  cmd->add_option("--jobs,-j", batch.jobs,
                  "Submissions graded at once (default: one per core)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--test-jobs", batch.test_jobs,
                  "Tests each grading runs at once (default: the cores "
                  "left per submission)")
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--regrade", batch.regrade,
                "Grade again even where a finished result matches");
  cmd->add_option("--shard", batch.shard,
                  "Grade only shard I of N (I/N), chosen by a hash of the id");
  cmd->add_option("--time-per-submission", batch.time_per_submission,
                  "Wall budget of one grading in seconds, build included")
      ->check(CLI::Range(10, 86400));
  cmd->add_option("--build-cache", batch.build_cache,
                  "Compile through ccache with its cache in DIR");
  cmd->add_option("--tests-from", batch.tests_from,
                  "Add an instructor's test overlay (hidden tests)")
      ->envname("IPCLAB_TESTS_FROM");
  return cmd;
}

CLI::App* AddMergeCommand(CLI::App& app, ipclab::MergeCliOptions& merge) {
  auto* cmd = app.add_subcommand(
      "merge", "Combine sharded batch outputs into one gradebook");
  cmd->add_option("lab", merge.lab, "Lab name (or a path to a lab.yaml)")
      ->required();
  cmd->add_option("inputs", merge.inputs, "The shards' --out folders")
      ->required();
  cmd->add_option("--out", merge.out, "Where the merged results go")
      ->required();
  cmd->add_option("--tests-from", merge.tests_from,
                  "The test overlay the shards were graded with")
      ->envname("IPCLAB_TESTS_FROM");
  return cmd;
}

// `ipclab batch` runs each grading as a child process. If the batch is
// killed, its gradings must end too, not finish unwatched: the batch sets
// IPCLAB_EXIT_WITH_PARENT, and the grading then takes SIGTERM when its
// parent goes (or exits at once if it has already gone).
void StopWithParentIfAsked() {
  if (std::getenv("IPCLAB_EXIT_WITH_PARENT") == nullptr) return;
  const pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  // Writing to a student's stdin after it died must be EPIPE, not death.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{
      "ipclab: grades IPC labs (pipes, sockets, thread pools) by running "
      "your program against a reference and probing its behaviour."};
  app.require_subcommand(1);
  app.set_version_flag("--version", ipclab::VersionText());

  ipclab::ListOptions list;
  CLI::App* list_cmd = AddListCommand(app, list);
  ipclab::InitOptions init;
  auto* init_cmd = app.add_subcommand(
      "init", "Start a lab: copy its skeleton, handout and a Makefile to DIR");
  init_cmd->add_option("lab", init.lab, "A lab name")->required();
  init_cmd->add_option("dir", init.dir, "A new folder")->required();
  ipclab::GradeOptions grade;
  grade.program = argv[0];
  auto* grade_cmd = app.add_subcommand("grade", "Grade a submission");
  AddSubjectOptions(grade_cmd, grade);
  AddRunOptions(grade_cmd, grade);
  ipclab::BatchCliOptions batch;
  batch.version = ipclab::VersionText();
  CLI::App* batch_cmd = AddBatchCommand(app, batch);
  ipclab::MergeCliOptions merge;
  CLI::App* merge_cmd = AddMergeCommand(app, merge);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*list_cmd) return ipclab::ListCommand(list);
  if (*init_cmd) return ipclab::InitCommand(init);
  if (*batch_cmd) return ipclab::BatchCommand(batch);
  if (*merge_cmd) return ipclab::MergeCommand(merge);
  if (grade.submission.empty() && grade.binary.empty()) {
    std::cerr << "ipclab grade: give --submission DIR or --binary FILE\n";
    return 2;
  }
  StopWithParentIfAsked();
  if (grade.watch) {
    if (grade.submission.empty()) {
      std::cerr << "ipclab grade: --watch needs --submission DIR\n";
      return 2;
    }
    return ipclab::WatchCommand(grade);
  }
  return ipclab::GradeCommand(grade);
}
