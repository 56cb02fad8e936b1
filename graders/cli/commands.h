// The subcommands of `ipclab`, separate from argument parsing so tests can
// call them directly.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/spec.h"

namespace ipclab {

struct ListOptions {
  std::string lab;
};

/// The tests a grading ran, and those of them that failed (for --watch).
struct GradedIds {
  std::vector<std::string> all;
  std::vector<std::string> failed;
};

struct GradeOptions {
  std::string program = "ipclab";  // How the user invoked us, for reruns.
  std::string lab;
  std::string submission;
  std::string binary;
  std::string reference;
  std::vector<std::string> only;  // --only, once or more.
  std::string junit;
  std::string gradescope;
  int jobs = 1;
  int repeat = 1;
  std::string build_cache;  // ccache directory for builds (BuildOptions).
  std::string tests_from;   // --tests-from: an instructor's test overlay.
  /// --instructor: report every test; otherwise tests students may not see
  /// are graded but left out of every report (report/student_view.h).
  bool instructor = false;
  bool verbose = false;
  bool keep = false;
  bool watch = false;        // --watch: grade again on every change.
  GradedIds* ids = nullptr;  // Filled in when set.
};

/// Ends the process the way a filter ends when its reader has gone: killed
/// by SIGPIPE's default action (the shell reports status 141).
[[noreturn]] void ExitAsIfBySigpipe();

/// Loads a lab by name ("pipeline") or path to its lab.yaml, with the test
/// overlay `tests_from` merged in when it is not empty; prints why not and
/// returns nullopt. `spec_path`, when given, receives the file.
std::optional<LabSpec> LoadLab(const std::string& lab,
                               std::filesystem::path* spec_path = nullptr,
                               const std::string& tests_from = "");

/// Exit codes as documented in main.cc.
int ListCommand(const ListOptions& options);
int GradeCommand(const GradeOptions& options);

}  // namespace ipclab
