#include "core/runner.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <thread>

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
  if (!build.output.empty()) {
    r.sections.push_back({"Compiler output", build.output});
  }
  r.hint =
      "Run the command above in your submission directory, fix the first "
      "error it reports, and try again. Every other test needs a program "
      "that builds.";
  return r;
}

TestResult RunOne(const LabSpec& lab, const TestSpec& test,
                  const Subject& subject, const ProbeRegistry& kinds,
                  const RunOptions& options) {
  TestResult r;
  r.id = test.id;
  r.title = test.title;
  r.visibility = test.visibility;
  r.max_points = test.points;
  r.hint = test.hint;
  r.rerun = options.rerun_prefix.empty()
                ? ""
                : options.rerun_prefix + " --only " + test.id;
  if (subject.build && !subject.build->ok) {
    r.outcome = Outcome::kSkipped;
    r.summary =
        "Not run: the submission does not build (see the test "
        "'build').";
    return r;
  }

  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() /
                      ("ipclab-" + lab.name + "-" + test.id + "-XXXXXX"))
                         .string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    r.outcome = Outcome::kError;
    r.summary = "The grader could not create a work directory.";
    return r;
  }
  const fs::path work = tmpl;

  const auto start = std::chrono::steady_clock::now();
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
                       subject.reference_variants};
      v = kind->Run(ctx);
    }
  } catch (const std::exception& e) {
    v = Verdict::Fail(Outcome::kError,
                      std::string("The grader failed while running this "
                                  "test (not your fault): ") +
                          e.what());
  }
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!options.keep_work_dirs) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  r.outcome = v.outcome;
  r.summary = v.summary;
  r.sections = std::move(v.sections);
  double fraction = v.outcome == Outcome::kPass ? 1.0 : v.fraction;
  r.points = test.points * std::clamp(fraction, 0.0, 1.0);
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

RunSummary RunLab(const LabSpec& lab, const Subject& subject,
                  const ProbeRegistry& kinds, const RunOptions& options,
                  Reporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<const TestSpec*> selected = SelectTests(lab, options.only);
  const bool with_build = subject.build.has_value();

  RunSummary summary;
  summary.info.lab = lab.name;
  summary.info.lab_title = lab.title;
  summary.info.subject = options.subject;
  summary.info.test_count = selected.size() + (with_build ? 1 : 0);
  for (const auto* t : selected) summary.info.max_points += t->points;
  summary.timestamp = Timestamp();
  summary.hostname = Hostname();
  reporter.OnRunStart(summary.info);

  if (with_build) {
    summary.results.push_back(
        BuildResult(*subject.build, options.rerun_prefix));
    reporter.OnTestEnd(summary.results.back());
  }

  // Tests run on `jobs` threads; results reach the reporters in spec order
  // as soon as every earlier test is done, so the console reads top-down.
  std::vector<std::optional<TestResult>> results(selected.size());
  std::mutex mu;
  std::size_t next_to_report = 0;
  // Start the tests allowed the longest first (they tend to take longest),
  // so parallel workers finish together; reporting order is unchanged.
  std::vector<std::size_t> start_order(selected.size());
  for (std::size_t i = 0; i < start_order.size(); ++i) start_order[i] = i;
  std::stable_sort(start_order.begin(), start_order.end(),
                   [&](std::size_t a, std::size_t b) {
                     return selected[a]->timeout > selected[b]->timeout;
                   });
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

  for (auto& r : results) {
    if (r) summary.results.push_back(std::move(*r));  // Unset if stopped.
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
