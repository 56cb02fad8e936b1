// Implementation notes. The driver (graders/threadpool/driver) prints
// "detail: ..." lines and ends with "PASS" or "FAIL: summary"; the
// sanitizers report on stderr and change the exit code. This file turns
// that into a verdict, after checking that the reference passes the very
// same scenario in the same build variant.
#include "threadpool/pool_scenario_kind.h"

#include <sstream>

#include "core/deadline.h"
#include "core/launcher.h"
#include "core/shell_quote.h"
#include "core/termination.h"
#include "core/text_diff.h"

namespace ipclab {
namespace {

// The student's limits, derived from the reference's time for the same
// scenario in the same run (docs/architecture.md, "Deadlines"). The driver
// watches each call into the pool with `driver_seconds`; `launch` bounds the
// whole run, and leaves room for the driver to report a hang itself, with
// its own message, before the launcher has to end it.
struct Deadlines {
  std::chrono::milliseconds launch{0};  // 0: the test's timeout.
  int driver_seconds = 0;               // 0: the driver's default (10 s).
};

// Per call: 10x the reference's whole scenario, at least 2 s, at most the
// driver's old fixed 10 s. Whole run: 20x the reference (throughput allows
// a pool 10x slower), at least 3 driver deadlines, at most the timeout.
constexpr DeadlinePolicy kDriverPolicy{10.0, std::chrono::milliseconds(2000)};
constexpr double kLaunchMultiple = 20.0;
constexpr std::chrono::milliseconds kDriverCeiling{10000};

Deadlines StudentDeadlines(double reference_seconds,
                           std::chrono::milliseconds timeout) {
  const std::chrono::duration<double> reference(reference_seconds);
  Deadlines d;
  const auto driver =
      DeadlineFromReference(reference, kDriverCeiling, kDriverPolicy);
  d.driver_seconds = static_cast<int>((driver.count() + 999) / 1000);
  d.launch = DeadlineFromReference(
      reference, timeout,
      {kLaunchMultiple, std::chrono::milliseconds(3000 * d.driver_seconds)});
  return d;
}

struct DriverRun {
  LaunchResult result;
  std::vector<std::string> details;
  std::string verdict_line;  // "PASS", "FAIL: ...", or empty.
  std::string command;
};

std::string SanitizerReport(const std::string& err) {
  for (const char* marker :
       {"WARNING: ThreadSanitizer:", "ERROR: AddressSanitizer:",
        "ERROR: LeakSanitizer:", "runtime error:"}) {
    auto at = err.find(marker);
    if (at == std::string::npos) continue;
    auto start = err.rfind("==", at);
    start = start == std::string::npos ? at : err.rfind('\n', start);
    start = start == std::string::npos ? 0 : start + 1;
    return err.substr(start, 6000);
  }
  return {};
}

Result<DriverRun> RunDriver(const ProbeContext& ctx,
                            const std::filesystem::path& exe,
                            const std::string& dir, const Deadlines& limits) {
  const auto& p = ctx.test.params;
  DriverRun run;
  LaunchSpec spec;
  spec.argv = {exe.string(), p.String("scenario")};
  spec.cwd = ctx.work_dir / dir;
  std::error_code ec;
  std::filesystem::create_directories(spec.cwd, ec);
  spec.timeout = limits.launch.count() > 0 ? limits.launch : ctx.test.timeout;
  spec.env = ScrubbedEnvironment();
  // Sanitizers report everything they find and then fail the run.
  spec.env.push_back(
      "TSAN_OPTIONS=halt_on_error=0 exitcode=66 second_deadlock_stack=1 "
      "report_signal_unsafe=0");
  spec.env.push_back("ASAN_OPTIONS=exitcode=67 detect_leaks=1");
  spec.env.push_back(
      "UBSAN_OPTIONS=print_stacktrace=1 halt_on_error=1 "
      "exitcode=68");
  if (p.Bool("shim") || p.Has("spurious")) {
    spec.env.push_back("LD_PRELOAD=" +
                       (ctx.helpers / "libipclab-pool-shim.so").string());
  }
  if (p.Has("spurious")) {
    spec.env.push_back("IPCLAB_SPURIOUS=" + std::to_string(p.Int("spurious")));
  }
  if (limits.driver_seconds > 0) {
    spec.env.push_back("IPCLAB_DEADLINE_SECONDS=" +
                       std::to_string(limits.driver_seconds));
  }
  run.command = ShellQuote(spec.argv);
  auto r = Launch(spec);
  if (!r) return r.error();
  run.result = std::move(*r);
  std::istringstream lines(run.result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("detail: ", 0) == 0) {
      run.details.push_back(line.substr(8));
    } else if (line == "PASS" || line.rfind("FAIL: ", 0) == 0) {
      run.verdict_line = line;
    }
  }
  return run;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// The driver's own verdict, or what ended it first.
Verdict Judge(const DriverRun& run, const std::string& who,
              std::chrono::milliseconds /*timeout: in run.result*/) {
  const LaunchResult& r = run.result;
  std::vector<Section> sections;
  if (!run.details.empty()) {
    sections.push_back({"What the test saw", Joined(run.details)});
  }
  // How the run ended is judged in core (JudgeTermination); a sanitizer's
  // report, when there is one, explains more and comes first.
  const EndingContext ending{"The test program running " + who, std::nullopt};
  if (r.termination == Termination::kNotStarted) {
    return *JudgeTermination(r, ending);
  }
  if (std::string report = SanitizerReport(r.err); !report.empty()) {
    const bool race = report.find("ThreadSanitizer") != std::string::npos;
    sections.push_back(
        {race ? "ThreadSanitizer report" : "Sanitizer report", report});
    return Verdict::Fail(
        Outcome::kFail,
        race ? who +
                   " has a data race: two threads touched the same memory "
                   "without synchronisation (the report below shows both "
                   "stacks)."
             : who +
                   " has a memory error or undefined behaviour (report "
                   "below).",
        sections);
  }
  if (auto v = JudgeTermination(r, ending)) {
    if (r.termination == Termination::kDeadline) {
      v->summary +=
          " A correct pool needs milliseconds. Something is stuck: a lost "
          "wakeup, a wait() that never returns, or a deadlock.";
    }
    if (r.termination == Termination::kSignalled &&
        r.err.find("terminate called") != std::string::npos) {
      v->summary +=
          " An exception escaped a thread: catch exceptions from "
          "each task in the worker.";
    }
    if (!r.err.empty()) sections.push_back({"stderr", Preview(r.err, 20)});
    v->sections.insert(v->sections.end(), sections.begin(), sections.end());
    return *v;
  }
  if (run.verdict_line == "PASS" && r.status == ExitStatus::Exited(0)) {
    return Verdict::Pass();
  }
  if (run.verdict_line.rfind("FAIL: ", 0) == 0) {
    if (!r.err.empty()) sections.push_back({"stderr", Preview(r.err, 20)});
    return Verdict::Fail(Outcome::kFail, run.verdict_line.substr(6), sections);
  }
  sections.push_back({"stdout", Preview(r.out, 20)});
  sections.push_back({"stderr", Preview(r.err, 20)});
  return Verdict::Fail(Outcome::kFail,
                       "The test program " + r.status.Describe() +
                           " without reaching a verdict (did the pool call "
                           "exit(), or write to stdout?).",
                       sections);
}

double Seconds(const DriverRun& run) {
  for (const auto& d : run.details) {
    if (d.rfind("seconds=", 0) == 0) return std::atof(d.c_str() + 8);
  }
  return -1;
}

}  // namespace

std::string_view PoolScenarioKind::Description() const {
  return "Run one thread-pool scenario of the grader's driver, built with "
         "your pool (plain, TSan or ASan+UBSan).";
}

std::vector<ParamSpec> PoolScenarioKind::Params() const {
  return {
      {"scenario", ParamType::kString, true, "the driver's scenario name"},
      {"variant", ParamType::kString, false,
       "the build: normal (default), tsan or asan"},
      {"shim", ParamType::kBool, false,
       "preload the shim that counts thread creations"},
      {"spurious", ParamType::kInt, false,
       "with the shim, every Nth condition-variable wait wakes spuriously"},
      {"stderr_lines", ParamType::kInt, false,
       "at least this many lines must appear on stderr"},
      {"max_ratio", ParamType::kNumber, false,
       "compare the driver's 'seconds=' figure with the reference's: at most "
       "this many times slower"},
  };
}

Status PoolScenarioKind::Validate(const TestSpec& test) const {
  const std::string v = test.params.String("variant", "normal");
  if (v != "normal" && v != "tsan" && v != "asan") {
    return Error{"'variant' must be normal, tsan or asan, not '" + v + "'"};
  }
  if (v != "normal" &&
      (test.params.Bool("shim") || test.params.Has("spurious"))) {
    return Error{"the shim can only be preloaded into the normal build"};
  }
  if (test.params.Has("max_ratio") && test.params.Number("max_ratio") < 2) {
    return Error{
        "'max_ratio' below 2 would fail correct pools on a busy "
        "machine"};
  }
  return {};
}

namespace {

// The build the test runs: the main one, or a sanitizer variant's; empty
// if the lab has no such build.
std::filesystem::path Pick(
    const std::string& variant, const std::filesystem::path& main,
    const std::map<std::string, std::filesystem::path>& variants) {
  if (variant == "normal") return main;
  auto it = variants.find(variant);
  return it == variants.end() ? std::filesystem::path() : it->second;
}

// `stderr_lines`: a worker writes one line per task that threw.
void CheckStderrLines(const Params& p, const DriverRun& mine, Verdict* v) {
  if (v->outcome != Outcome::kPass || !p.Has("stderr_lines")) return;
  std::size_t lines = 0;
  for (char c : mine.result.err) lines += c == '\n';
  if (lines >= std::size_t(p.Int("stderr_lines"))) return;
  *v = Verdict::Fail(
      Outcome::kFail,
      "Tasks threw " + std::to_string(p.Int("stderr_lines")) +
          " exceptions, but only " + std::to_string(lines) +
          " line(s) appeared on stderr; the worker must write one line "
          "for each.",
      {{"stderr", Preview(mine.result.err)}});
}

// `max_ratio`: the workload within that multiple of the reference's time,
// measured in the same run.
void CheckRatio(const Params& p, const DriverRun& ref, const DriverRun& mine,
                Verdict* v) {
  if (v->outcome != Outcome::kPass || !p.Has("max_ratio")) return;
  const double a = Seconds(ref), b = Seconds(mine);
  if (!(a > 0 && b > 0 && b > p.Number("max_ratio") * std::max(a, 1e-3))) {
    return;
  }
  std::ostringstream s;
  s.precision(3);
  s << "Your pool took " << b << " s for the workload; the reference "
    << "took " << a << " s in the same run (" << b / a
    << " times as long; up to " << p.Number("max_ratio") << " is accepted).";
  *v = Verdict::Fail(
      Outcome::kFail, s.str(),
      {{"Common causes",
        "Holding the lock while a task runs; waking every worker for "
        "each task (notify_all); sleeping or polling instead of "
        "waiting on a condition variable."}});
}

// After a failure: how to run the scenario, and the time it was given.
void AddRunItYourself(const Params& p, const std::string& variant,
                      const DriverRun& ref, const Deadlines& limits,
                      Verdict* v) {
  std::ostringstream limits_text;
  limits_text.precision(3);
  limits_text << "The reference pool ran this scenario in "
              << ref.result.seconds << " s, so your run had "
              << limits.launch.count() / 1000.0 << " s in all and "
              << limits.driver_seconds
              << " s for each call into the pool to return (the driver "
                 "reads that from IPCLAB_DEADLINE_SECONDS).";
  v->sections.push_back(
      {"Run it yourself",
       "The grader compiled your pool with its test "
       "driver; this test is: pool-driver " +
           p.String("scenario") +
           (variant == "normal" ? "" : " (" + variant + " build)") + "\n" +
           limits_text.str()});
}

}  // namespace

Verdict PoolScenarioKind::Run(const ProbeContext& ctx) const {
  const auto& p = ctx.test.params;
  const std::string variant = p.String("variant", "normal");
  const auto ref_exe = Pick(variant, ctx.reference, ctx.reference_variants);
  const auto my_exe = Pick(variant, ctx.student, ctx.student_variants);
  if (ref_exe.empty() || my_exe.empty()) {
    return Verdict::Fail(Outcome::kError,
                         "The lab has no '" + variant + "' build to run.");
  }
  auto ref = RunDriver(ctx, ref_exe, "reference", Deadlines{});
  if (!ref) return Verdict::Fail(Outcome::kError, ref.error().message);
  Verdict ref_verdict = Judge(*ref, "the reference pool", ctx.test.timeout);
  if (ref_verdict.outcome != Outcome::kPass) {
    ref_verdict.outcome = Outcome::kError;
    ref_verdict.summary =
        "The reference pool failed this test, so the "
        "grader cannot judge it (not your fault): " +
        ref_verdict.summary;
    return ref_verdict;
  }
  const Deadlines limits =
      StudentDeadlines(ref->result.seconds, ctx.test.timeout);
  auto mine = RunDriver(ctx, my_exe, "student", limits);
  if (!mine) return Verdict::Fail(Outcome::kError, mine.error().message);
  Verdict v = Judge(*mine, "your pool", limits.launch);
  CheckStderrLines(p, *mine, &v);
  CheckRatio(p, *ref, *mine, &v);
  if (v.outcome != Outcome::kPass && variant != "normal" &&
      SanitizerReport(mine->result.err).empty()) {
    // A plain bug (a lost task, a hang) also fails the sanitizer builds'
    // tests; say so, or "no data races" would seem to blame a race.
    v.summary = std::string(variant == "tsan" ? "In the ThreadSanitizer"
                                              : "In the AddressSanitizer") +
                " build, the scenario failed before the sanitizer reported "
                "anything: " +
                v.summary;
  }
  if (v.outcome != Outcome::kPass) {
    AddRunItYourself(p, variant, *ref, limits, &v);
  }
  return v;
}

}  // namespace ipclab
