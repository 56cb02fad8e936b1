// Runs a lab's tests against one subject and feeds the reporters. The one
// exception boundary per test lives here: whatever escapes a probe becomes
// an "error" result for that test, and grading carries on.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/builder.h"
#include "core/probe.h"
#include "core/reporter.h"
#include "core/spec.h"

namespace ipclab {

struct RunOptions {
  /// --only, once or more: a test runs if any pattern selects it (see
  /// SelectTests). Empty: all tests.
  std::vector<std::string> only;
  int jobs = 1;              // Tests run at once.
  std::string rerun_prefix;  // "ipclab grade LAB --submission DIR".
  /// Added to the rerun of a test from the overlay: " --tests-from FILE".
  std::string rerun_overlay;
  std::string subject;  // What is graded, for the report header.
  bool keep_work_dirs = false;
  /// With keep_work_dirs: keep only the work directories of tests whose
  /// visibility is `visible` (a student-facing run; see --instructor).
  bool keep_only_visible = false;
  /// Each test runs this many times (--repeat); it passes only if every
  /// run passes. Catches bugs that show only sometimes (races).
  int repeat = 1;
  /// Asked before each test starts; once it returns true no further test
  /// starts (the tests already running finish). For a console reader that
  /// went away when no report file is being written.
  std::function<bool()> stop;
};

/// What is graded. With a submission, `build` holds the grader's build of it
/// and is reported as the test "build"; a failed build skips every test.
struct Subject {
  std::optional<BuildOutcome> build;
  std::filesystem::path executable;
  std::filesystem::path reference;
  std::filesystem::path helpers;
  std::map<std::string, std::filesystem::path> variants;  // Of executable.
  std::map<std::string, std::filesystem::path> reference_variants;
  std::string by_hand_build;    // ProbeContext::by_hand_build.
  std::string by_hand_program;  // ProbeContext::by_hand_program.
};

/// True if `id` is selected by `pattern`: a glob, or a plain word that
/// matches ids containing it.
bool Selected(const std::string& id, const std::string& pattern);

/// The tests `--only pattern` runs: the one test whose id is exactly the
/// pattern (so a rerun command runs exactly its test), else every match.
std::vector<const TestSpec*> SelectTests(const LabSpec& lab,
                                         const std::string& pattern);

/// The tests several --only patterns run: those any of them selects, in
/// spec order. No pattern: every test.
std::vector<const TestSpec*> SelectTests(
    const LabSpec& lab, const std::vector<std::string>& patterns);

RunSummary RunLab(const LabSpec& lab, const Subject& subject,
                  const ProbeRegistry& kinds, const RunOptions& options,
                  Reporter& reporter);

}  // namespace ipclab
