// What one test produced, and what a whole run produced. Every result
// explains itself: the sections carry the command, the input, expected vs
// actual, the decoded status; the hint and the rerun command follow.
#pragma once

#include <string>
#include <vector>

#include "outcome.h"
#include "spec.h"

namespace ipclab {

/// One titled block of a failure explanation ("Command", "Expected stdout",
/// "Difference", "Status"). Bodies may hold anything the student printed:
/// reporters sanitize them for their format.
struct Section {
  std::string title;
  std::string body;
};

/// Why a test failed, when the grader knows a common mistake that explains
/// it: a stable id (`unreaped-children`), what it means in the words of
/// "N tests failed because ..." (`because`), and the advice for it. The
/// hint comes from the cause, not from the test, so every test that fails
/// for one reason gives the same advice; reporters group tests by `id`.
struct Cause {
  std::string id;       // Empty: no known cause explains the failure.
  std::string because;  // "commands were never waited for".
  std::string hint;

  bool known() const { return !id.empty(); }
};

/// The cause the runner gives every test not run because the build failed.
inline constexpr const char* kBuildFailedCause = "build-failed";

/// What a probe kind decides about one test.
struct Verdict {
  Outcome outcome = Outcome::kPass;
  double fraction = 1.0;  // Of the test's points; partial credit in (0, 1).
  std::string summary;    // One line: what went wrong (empty on a pass).
  std::vector<Section> sections;
  Cause cause;  // The known mistake behind `summary`, if any.
  /// Other problems found besides the one in `summary`, one line each, so
  /// a report that shows one test for a whole cause can still name them.
  std::vector<std::string> also;

  static Verdict Pass() { return {}; }
  static Verdict Fail(Outcome outcome, std::string summary,
                      std::vector<Section> sections = {}, Cause cause = {}) {
    return {outcome,          0.0, std::move(summary), std::move(sections),
            std::move(cause), {}};
  }
};

/// One failed run of a test graded with --repeat N.
struct FailedRun {
  int run = 0;  // 1-based.
  Outcome outcome = Outcome::kFail;
  std::string summary;
};

/// A Verdict placed in its test: what reporters receive.
struct TestResult {
  std::string id;
  std::string title;
  Visibility visibility = Visibility::kVisible;
  std::string kind;   // The probe kind that ran it ("psh-script").
  std::string topic;  // Its lecture topic (TestSpec::topic), or empty.
  /// The submission file (relative to the submission directory) and line
  /// the result is about, where one is known (a compiler error); else empty.
  std::string file;
  int line = 0;
  double max_points = 0;
  double points = 0;
  Outcome outcome = Outcome::kPass;
  std::string summary;
  std::vector<Section> sections;
  Cause cause;       // Known cause; when set, `hint` is the cause's hint.
  std::string hint;  // The cause's hint, else the test's own.
  std::vector<std::string> also;  // Verdict::also.
  std::string rerun;              // A command that reruns only this test.
  double seconds = 0;             // All runs together.
  /// How many times the test ran (--repeat), and every run that failed, in
  /// order. The result's own summary and sections are the first failure's.
  int runs = 1;
  std::vector<FailedRun> failed_runs;
};

struct RunInfo {
  std::string lab;
  std::string lab_title;
  std::string subject;  // What is graded: the submission dir or binary.
  std::size_t test_count = 0;
  double max_points = 0;
};

struct RunSummary {
  RunInfo info;
  std::vector<TestResult> results;  // In spec order.
  double points = 0;
  double max_points = 0;
  double seconds = 0;
  std::string timestamp;  // ISO 8601, UTC, no fraction: 2026-11-27T02:30:00.
  std::string hostname;
  /// Tests graded but left out of these results because students may not
  /// see them (report/student_view.h): only counted, never described.
  std::size_t withheld = 0;
  bool AllPassed() const;
};

}  // namespace ipclab
