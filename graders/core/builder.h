// Compiles a student's submission directory with the lab's fixed compiler
// and flags. The student's own build files are never run: every submission
// is built the same way, and a Makefile cannot run anything at grading time.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/exit_status.h"
#include "core/spec.h"

namespace ipclab {

struct BuildOutcome {
  bool ok = false;
  std::filesystem::path executable;  // Valid when ok.
  /// Each variant's executable (BuildSpec::variants), valid when ok.
  std::map<std::string, std::filesystem::path> variants;
  std::string command;  // The compiler command, as typed.
  std::string output;   // What the compiler printed.
  std::string problem;  // Why it failed, in one sentence.
  /// When no source file was found (nothing was compiled): the globs the
  /// lab's sources must match, the directory searched, and what it holds
  /// instead (sources in a subfolder are a common slip).
  std::vector<std::string> source_globs;
  std::filesystem::path searched;
  std::vector<std::string> found_instead;
};

struct BuildOptions {
  int jobs = 1;  // Compiles at once.
  /// Non-empty: compile through ccache, with its cache here. Re-grading
  /// submissions that share most files (a mutant suite, a class's
  /// resubmissions) then compiles only what changed. Graded programs must
  /// not be able to write here: a poisoned cache would build other
  /// submissions wrongly.
  std::filesystem::path cache_dir;
};

/// Builds `submission` into `out_dir` (build_plan.h), compiling up to
/// `options.jobs` sources at once, then linking. An Error means the grader
/// itself could not run the compiler; a submission that does not compile
/// is a BuildOutcome with ok == false.
Result<BuildOutcome> BuildSubmission(const BuildSpec& build,
                                     const std::filesystem::path& submission,
                                     const std::filesystem::path& out_dir,
                                     const BuildOptions& options = {});

}  // namespace ipclab
