#include "core/runner.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>

#include "core/compiler_diagnostic.h"

namespace ipclab {
namespace {

std::string Timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string Hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

// Nothing was compiled, so there is no command to rerun: say which files
// the lab compiles, where the grader looked, and what it found there.
TestResult NoSourcesResult(const BuildOutcome& build, TestResult r) {
  std::string globs;
  for (const auto& g : build.source_globs) {
    globs += (globs.empty() ? "" : " or ") + g;
  }
  const std::string dir = build.searched.string();
  r.sections.push_back(
      {"Files the lab compiles",
       "Every file named " + globs + " directly in " + dir +
           " (subdirectories are not searched), compiled together into "
           "one program."});
  std::string found;
  for (const auto& name : build.found_instead) found += name + "\n";
  r.sections.push_back(
      {"What " + dir + " holds",
       found.empty() ? "nothing: the directory is empty" : found});
  r.hint = "Put your source files (" + globs + ") directly in the directory " +
           "you give to --submission, not in a subfolder, and grade again. "
           "Every other test needs a program that builds.";
  return r;
}

TestResult BuildResult(const BuildOutcome& build, const std::string& rerun) {
  TestResult r;
  r.id = "build";
  r.title = "The submission compiles with the lab's flags";
  r.kind = "build";
  r.rerun = rerun;
  if (build.ok) {
    r.outcome = Outcome::kPass;
    if (!build.output.empty()) {
      r.sections.push_back({"Compiler warnings", build.output});
    }
    return r;
  }
  r.outcome = Outcome::kFail;
  r.summary = "The submission does not build: " + build.problem + ".";
  if (build.command.empty() && !build.source_globs.empty()) {
    return NoSourcesResult(build, std::move(r));
  }
  r.sections.push_back({"Command", build.command});
  if (auto at = FirstCompilerError(build.output)) {
    r.file = at->file;
    r.line = at->line;
  }
  if (!build.output.empty()) {
    r.sections.push_back({"Compiler output", build.output});
  }
  r.hint =
      "Run the command above in your submission directory, fix the first "
      "error it reports, and try again. Every other test needs a program "
      "that builds.";
  return r;
}

// The command that reruns only `test`: a test of the overlay needs the
// overlay, and a test students may not see is reported only to an
// instructor; the others rerun without either, as a student types them.
std::string RerunCommand(const TestSpec& test, const RunOptions& options) {
  if (options.rerun_prefix.empty()) return "";
  std::string rerun = options.rerun_prefix;
  if (test.from_overlay) rerun += options.rerun_overlay;
  if (test.visibility != Visibility::kVisible) rerun += " --instructor";
  return rerun + " --only " + test.id;
}

// One run of a test in a fresh work directory: the kind's verdict, or the
// grader's error if anything escapes it.
Verdict RunOnce(const LabSpec& lab, const TestSpec& test,
                const Subject& subject, const ProbeRegistry& kinds,
                const RunOptions& options) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() /
                      ("ipclab-" + lab.name + "-" + test.id + "-XXXXXX"))
                         .string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Verdict::Fail(Outcome::kError,
                         "The grader could not create a work directory.");
  }
  const fs::path work = tmpl;
  Verdict v;
  try {
    const ProbeKind* kind = kinds.Find(test.kind);
    if (kind == nullptr) {
      v = Verdict::Fail(Outcome::kError, "Unknown probe kind " + test.kind);
    } else {
      ProbeContext ctx{lab,
                       test,
                       subject.executable,
                       subject.reference,
                       subject.helpers,
                       work,
                       subject.variants,
                       subject.reference_variants,
                       subject.by_hand_build,
                       subject.by_hand_program};
      v = kind->Run(ctx);
    }
  } catch (const std::exception& e) {
    v = Verdict::Fail(Outcome::kError,
                      std::string("The grader failed while running this "
                                  "test (not your fault): ") +
                          e.what());
  }
  const bool keep =
      options.keep_work_dirs &&
      (!options.keep_only_visible || test.visibility == Visibility::kVisible);
  if (!keep) {
    std::error_code ec;
    fs::remove_all(work, ec);
  } else if (v.outcome != Outcome::kPass) {
    // --keep: where this test's files are (the whole script and input too,
    // however long), first, so no cut of the block can hide it.
    v.sections.insert(v.sections.begin(),
                      {"Files kept (--keep)", work.string()});
  }
  return v;
}

// "runs 2, 4 and 5".
std::string RunList(const std::vector<FailedRun>& failed) {
  std::string out = failed.size() == 1 ? "run " : "runs ";
  for (std::size_t i = 0; i < failed.size(); ++i) {
    if (i > 0) out += i + 1 == failed.size() ? " and " : ", ";
    out += std::to_string(failed[i].run);
  }
  return out;
}

// With --repeat: a test that failed in k of N runs fails with the first
// failure's explanation, preceded by what each failed run reported.
void ReportRepeats(TestResult& r, int skipped) {
  const std::size_t k = r.failed_runs.size();
  const std::string tally =
      "failed " + std::to_string(k) + " of " + std::to_string(r.runs) + " runs";
  r.summary = "This test " + tally + ". " + r.summary;
  std::string body = "It " + tally + " (" + RunList(r.failed_runs) + ").";
  if (skipped > 0) {
    body += " " + std::to_string(skipped) + " of the others were skipped.";
  }
  if (k + skipped < static_cast<std::size_t>(r.runs)) {
    body +=
        " A program that passes only sometimes depends on timing: a "
        "race, a lost wakeup, or an unchecked order of events.";
  }
  body += "\n";
  for (const FailedRun& f : r.failed_runs) {
    body += "  run " + std::to_string(f.run) + ": " +
            std::string(Info(f.outcome).label) + ": " + f.summary + "\n";
  }
  body += "The explanation below is from run " +
          std::to_string(r.failed_runs.front().run) + ", the first to fail.";
  r.sections.insert(r.sections.begin(), {"Runs", body});
}

// No run failed but some were skipped: the test was not fully judged, so
// it is skipped, with the first skip's reason (and, with --repeat, how
// many runs that was).
void ReportSkip(TestResult& r, Verdict skip, int skipped) {
  r.outcome = Outcome::kSkipped;
  r.summary = std::move(skip.summary);
  r.sections = std::move(skip.sections);
  if (r.runs > 1 && skipped < r.runs) {
    r.summary = "Skipped in " + std::to_string(skipped) + " of " +
                std::to_string(r.runs) + " runs (passed in the others). " +
                r.summary;
  }
}

TestResult RunOne(const LabSpec& lab, const TestSpec& test,
                  const Subject& subject, const ProbeRegistry& kinds,
                  const RunOptions& options) {
  TestResult r;
  r.id = test.id;
  r.title = test.title;
  r.visibility = test.visibility;
  r.kind = test.kind;
  r.topic = test.topic;
  r.max_points = test.points;
  r.hint = test.hint;
  r.rerun = RerunCommand(test, options);
  if (subject.build && !subject.build->ok) {
    r.outcome = Outcome::kSkipped;
    r.summary =
        "Not run: the submission does not build (see the test "
        "'build').";
    // Reporters say this once for all of them, with no hint each.
    r.cause = {kBuildFailedCause, "the build failed", ""};
    r.hint.clear();
    return r;
  }

  const auto start = std::chrono::steady_clock::now();
  r.runs = std::max(1, options.repeat);
  double fraction = 1.0;
  std::optional<Verdict> first_skip;
  int skipped = 0;
  for (int run = 1; run <= r.runs; ++run) {
    Verdict v = RunOnce(lab, test, subject, kinds, options);
    if (v.outcome == Outcome::kPass) continue;
    // A skipped run judged nothing (e.g. no network namespace here): it is
    // not a failed run, and a test skipped in every run is skipped.
    if (v.outcome == Outcome::kSkipped) {
      if (++skipped == 1) first_skip = std::move(v);
      continue;
    }
    fraction = std::min(fraction, std::clamp(v.fraction, 0.0, 1.0));
    r.failed_runs.push_back({run, v.outcome, v.summary});
    if (r.failed_runs.size() == 1) {
      r.outcome = v.outcome;
      r.summary = std::move(v.summary);
      r.sections = std::move(v.sections);
      r.also = std::move(v.also);
      // A known cause brings its own hint: the test's hint is written for
      // another mistake and would point elsewhere.
      if (v.cause.known()) {
        r.hint = v.cause.hint;
        r.cause = std::move(v.cause);
      }
    }
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  r.points = test.points * fraction;
  if (r.failed_runs.empty() && first_skip) {
    r.points = test.points * std::clamp(first_skip->fraction, 0.0, 1.0);
    ReportSkip(r, std::move(*first_skip), skipped);
  }
  if (r.runs > 1 && !r.failed_runs.empty()) ReportRepeats(r, skipped);
  return r;
}

}  // namespace

bool Selected(const std::string& id, const std::string& pattern) {
  if (pattern.empty()) return true;
  if (pattern.find_first_of("*?[") == std::string::npos) {
    return id.find(pattern) != std::string::npos;
  }
  return fnmatch(pattern.c_str(), id.c_str(), 0) == 0;
}

std::vector<const TestSpec*> SelectTests(const LabSpec& lab,
                                         const std::string& pattern) {
  if (const TestSpec* exact = lab.Find(pattern)) return {exact};
  std::vector<const TestSpec*> selected;
  for (const auto& t : lab.tests) {
    if (Selected(t.id, pattern)) selected.push_back(&t);
  }
  return selected;
}

std::vector<const TestSpec*> SelectTests(
    const LabSpec& lab, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return SelectTests(lab, "");
  std::vector<const TestSpec*> selected;
  for (const auto& t : lab.tests) {
    for (const auto& pattern : patterns) {
      const std::vector<const TestSpec*> hits = SelectTests(lab, pattern);
      if (std::find(hits.begin(), hits.end(), &t) != hits.end()) {
        selected.push_back(&t);
        break;
      }
    }
  }
  return selected;
}

namespace {

// The run's header: what is graded, how many tests, how many points.
RunSummary StartSummary(const LabSpec& lab, const RunOptions& options,
                        const std::vector<const TestSpec*>& selected,
                        bool with_build) {
  RunSummary summary;
  summary.info.lab = lab.name;
  summary.info.lab_title = lab.title;
  summary.info.subject = options.subject;
  summary.info.test_count = selected.size() + (with_build ? 1 : 0);
  for (const auto* t : selected) summary.info.max_points += t->points;
  summary.timestamp = Timestamp();
  summary.hostname = Hostname();
  return summary;
}

// Start the tests allowed the longest first (they tend to take longest),
// so parallel workers finish together; reporting order is unchanged.
std::vector<std::size_t> StartOrder(
    const std::vector<const TestSpec*>& selected) {
  std::vector<std::size_t> order(selected.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) {
                     return selected[a]->timeout > selected[b]->timeout;
                   });
  return order;
}

// Tests run on `jobs` threads; results reach the reporter in spec order as
// soon as every earlier test is done, so the console reads top-down. A
// result is unset if the run was stopped before its test started.
std::vector<std::optional<TestResult>> RunSelected(
    const LabSpec& lab, const std::vector<const TestSpec*>& selected,
    const Subject& subject, const ProbeRegistry& kinds,
    const RunOptions& options, Reporter& reporter) {
  std::vector<std::optional<TestResult>> results(selected.size());
  std::mutex mu;
  std::size_t next_to_report = 0;
  const std::vector<std::size_t> start_order = StartOrder(selected);
  std::atomic<std::size_t> next_to_run{0};
  auto worker = [&] {
    for (;;) {
      if (options.stop && options.stop()) return;
      std::size_t n = next_to_run++;
      if (n >= selected.size()) return;
      const std::size_t i = start_order[n];
      TestResult r = RunOne(lab, *selected[i], subject, kinds, options);
      std::lock_guard lock(mu);
      results[i] = std::move(r);
      while (next_to_report < results.size() && results[next_to_report]) {
        reporter.OnTestEnd(*results[next_to_report]);
        ++next_to_report;
      }
    }
  };
  const int jobs = std::max(1, std::min<int>(options.jobs, selected.size()));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace

RunSummary RunLab(const LabSpec& lab, const Subject& subject,
                  const ProbeRegistry& kinds, const RunOptions& options,
                  Reporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<const TestSpec*> selected = SelectTests(lab, options.only);
  const bool with_build = subject.build.has_value();
  RunSummary summary = StartSummary(lab, options, selected, with_build);
  reporter.OnRunStart(summary.info);
  if (with_build) {
    summary.results.push_back(
        BuildResult(*subject.build, options.rerun_prefix));
    reporter.OnTestEnd(summary.results.back());
  }
  for (auto& r :
       RunSelected(lab, selected, subject, kinds, options, reporter)) {
    if (r) summary.results.push_back(std::move(*r));
  }
  for (const auto& r : summary.results) {
    summary.points += r.points;
    summary.max_points += r.max_points;
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return summary;
}

}  // namespace ipclab
