// The exact commands that build a submission, decided before anything runs
// (in the spirit of ninja's plan): one compile per source and variant, then
// one link per variant. Planning runs nothing, so a plan can be unit tested
// and printed; builder.h executes it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/spec.h"

namespace ipclab {

struct BuildPlan {
  std::vector<std::vector<std::string>> compiles;  // Independent of each other.
  std::vector<std::vector<std::string>> links;     // After every compile.
  std::filesystem::path executable;
  /// Each variant's executable (BuildSpec::variants).
  std::map<std::string, std::filesystem::path> variants;
  /// What a student would type for the main program: one g++ line, run in
  /// the submission directory.
  std::string command;
};

/// The submission's own sources (file names in `submission` matching the
/// lab's globs), sorted.
std::vector<std::string> FindSources(const BuildSpec& build,
                                     const std::filesystem::path& submission);

/// Plans the build of `own` (FindSources) in absolute directory
/// `submission` into absolute directory `out`. An Error when a grader
/// source or library the lab names is missing (the grader's fault).
Result<BuildPlan> PlanBuild(const BuildSpec& build,
                            const std::filesystem::path& submission,
                            const std::filesystem::path& out,
                            const std::vector<std::string>& own);

/// How the lab builds a submission, for `ipclab list LAB`: which files, the
/// exact compiler line, the variants, and a line a student can type in
/// their own folder. The one place a handout's build line comes from.
std::string DescribeBuild(const BuildSpec& build);

}  // namespace ipclab
