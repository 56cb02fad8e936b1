#include "echo/echo_probe.h"

#include <algorithm>
#include <csignal>

#include "core/shell_quote.h"
#include "core/termination.h"
#include "echo/io_shim.h"

namespace ipclab {

std::vector<ParamSpec> ServerParams() {
  return {
      {"mode", ParamType::kString, false, "fork, thread or pool"},
      {"workers", ParamType::kInt, false, "--workers N (pool mode)"},
      {"queue", ParamType::kInt, false, "--queue Q (pool mode)"},
      {"inject", ParamType::kStringList, false,
       "short-writes and/or eintr: run both servers under the grader's I/O "
       "shim"},
  };
}

Status ValidateServerParams(const TestSpec& test) {
  const std::string mode = test.params.String("mode", "thread");
  if (mode != "fork" && mode != "thread" && mode != "pool") {
    return Error{"'mode' must be fork, thread or pool, not '" + mode + "'"};
  }
  if (test.params.Has("workers") && test.params.Int("workers") < 1) {
    return Error{"'workers' must be at least 1"};
  }
  if (test.params.Has("queue") && test.params.Int("queue") < 1) {
    return Error{"'queue' must be at least 1"};
  }
  if (test.params.Has("inject")) {
    auto injection = ParseInjection(test.params.StringList("inject"));
    if (!injection) return injection.error();
  }
  return {};
}

std::vector<std::string> ServerArgs(const Params& p, int port) {
  std::vector<std::string> args{"--port", std::to_string(port), "--mode",
                                p.String("mode", "thread")};
  if (p.Has("workers")) {
    args.insert(args.end(), {"--workers", std::to_string(p.Int("workers"))});
  }
  if (p.Has("queue")) {
    args.insert(args.end(), {"--queue", std::to_string(p.Int("queue"))});
  }
  return args;
}

namespace {

// How the run ended is judged in core (JudgeTermination); a server adds
// its readiness line, the client's view and the SIGPIPE advice. A server
// is ended by the test (kStopped), and a deadline while it serves shows
// in the client's own verdict.
Verdict StandardVerdict(const LaunchResult& r, const std::string& who,
                        const std::vector<Section>& sections,
                        const std::string& extra) {
  Verdict v = *JudgeTermination(r, {who, std::nullopt});
  v.summary += extra;
  v.sections.insert(v.sections.begin(), sections.begin(), sections.end());
  return v;
}

// The server never printed its line: it hung, printed something else, or
// ended first.
Verdict NotReadyVerdict(const LaunchResult& r, const std::string& who,
                        std::vector<Section> sections) {
  sections.push_back({"stdout", r.out.empty() ? "(nothing)" : r.out});
  if (r.termination == Termination::kDeadline ||
      r.termination == Termination::kStopped) {
    const bool printed = !r.out.empty();
    return Verdict::Fail(
        printed ? Outcome::kFail : Outcome::kTimeout,
        who + (printed ? " printed something other than" : " never printed") +
            " 'listening on PORT' (exactly that, a newline, then fflush) "
            "on stdout.",
        sections);
  }
  return Verdict::Fail(Outcome::kFail,
                       who + (r.status.signaled() ? " was " : " ") +
                           r.status.Describe() +
                           " before printing 'listening on PORT'.",
                       sections);
}

// The server ended while the scenario ran.
Verdict DiedVerdict(const ServerRun& run, const std::string& who,
                    std::vector<Section> sections) {
  const LaunchResult& r = run.result;
  if (!run.verdict.summary.empty()) {
    sections.push_back({"What the client saw", run.verdict.summary});
  }
  if (r.termination == Termination::kSignalled) {
    Verdict v = StandardVerdict(r, who, sections, "");
    v.summary.pop_back();  // Its final '.'.
    v.summary += " while the test was running.";
    if (r.status.signal == SIGPIPE) {
      v.summary +=
          " A write to a connection the client had closed raised SIGPIPE, "
          "which kills a process by default. Ignore SIGPIPE (or send with "
          "MSG_NOSIGNAL) and handle the EPIPE error for that connection "
          "only.";
    }
    return v;
  }
  if (r.termination == Termination::kDeadline) {
    return StandardVerdict(r, who, sections, "");
  }
  return Verdict::Fail(
      Outcome::kFail,
      who + " " + r.status.Describe() + " while the test was running.",
      sections);
}

}  // namespace

std::optional<Verdict> RunProblem(const Result<ServerRun>& run,
                                  const std::string& who) {
  if (!run) return Verdict::Fail(Outcome::kError, run.error().message);
  const LaunchResult& r = run->result;
  std::vector<Section> sections{{"Command", run->command}};
  if (!r.err.empty()) sections.push_back({"stderr", r.err});
  switch (r.termination) {
    case Termination::kNotStarted:
    case Termination::kOutputLimit:
    case Termination::kMemoryLimit:
      return StandardVerdict(r, who, sections, "");
    case Termination::kProcessLimit:
      return StandardVerdict(
          r, who, sections,
          " Does a child return into the accept loop instead of exiting?");
    default:
      break;
  }
  if (!run->ready) return NotReadyVerdict(r, who, sections);
  if (run->died_during_scenario) return DiedVerdict(*run, who, sections);
  return std::nullopt;
}

std::vector<Section> ServerContext(const ProbeContext& ctx,
                                   const std::vector<std::string>& args) {
  // As pasted from the directory the grader ran in (ProbeContext::by_hand_*).
  std::vector<std::string> argv{ctx.by_hand_program.empty()
                                    ? "./" + ctx.lab.build.output
                                    : ctx.by_hand_program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string how = "From the directory you ran the grader in:\n";
  if (!ctx.by_hand_build.empty()) how += "  " + ctx.by_hand_build + "\n";
  // by_hand_program is already a shell word; the arguments are quoted.
  how += "  " + argv.front() + " " +
         ShellQuote(std::vector<std::string>(argv.begin() + 1, argv.end())) +
         "\n";
  how +=
      "It prints the port it listens on. In another terminal, talk to it "
      "with nc (netcat-openbsd, which scripts/install-deps.sh installs):\n"
      "  nc -N 127.0.0.1 PORT\n"
      "Ctrl-D then half-closes your side (-N); a correct server echoes the "
      "rest and closes.";
  return {{"Try it yourself", how}};
}

namespace {

// The readiness line: a correct server prints it as fast as the reference,
// so a multiple of the reference's time, capped at RunServer's own 15 s.
constexpr std::chrono::milliseconds kReadyCeiling{15000};

ServerOptions ReferenceOptions(const ProbeContext& ctx,
                               const Injection& injection) {
  ServerOptions o;
  if (injection.any()) {
    o.env = InjectionEnvironment(injection, ctx.helpers,
                                 ctx.work_dir / "reference-io-shim");
  }
  return o;
}

// The student's limits follow the reference's measured times.
ServerOptions StudentOptions(const ProbeContext& ctx,
                             const Injection& injection, const ServerRun& ref,
                             const DeadlinePolicy& policy) {
  ServerOptions o;
  if (injection.any()) {
    o.env = InjectionEnvironment(injection, ctx.helpers,
                                 ctx.work_dir / "student-io-shim");
  }
  o.ready_limit = DeadlineFromReference(ref.ready_time, kReadyCeiling, policy);
  o.scenario_limit =
      DeadlineFromReference(ref.scenario_time, ctx.test.timeout, policy);
  return o;
}

// With the shim on, a verdict needs the shim to have reached the server:
// LD_PRELOAD cannot reach a statically linked program.
std::optional<Verdict> ShimUnreachable(const ProbeContext& ctx) {
  if (!IsStaticallyLinked(ctx.student)) return std::nullopt;
  return Verdict::Fail(
      Outcome::kFail,
      "Your server is statically linked, so this test cannot run: it "
      "checks how your server copes with short writes and EINTR by "
      "preloading a small library (LD_PRELOAD), which the dynamic linker "
      "loads only into dynamically linked programs.",
      {{"What to do",
        "Build without -static (the lab's own build command "
        "does)."}});
}

// After the student's run: what the shim did, or that it never ran.
void AddInjectionReport(const ProbeContext& ctx, Verdict* v) {
  auto counts = ReadInjectionCounts(ctx.work_dir / "student-io-shim");
  if (!counts || counts->loaded == 0) {
    *v = Verdict::Fail(
        Outcome::kFail,
        "The grader's I/O library (LD_PRELOAD) never ran inside your "
        "server, so this test could not check it. Does your program change "
        "LD_PRELOAD or re-execute itself without its environment?");
    return;
  }
  if (v->outcome != Outcome::kPass) AddInjected(ctx, v);
}

}  // namespace

void AddInjected(const ProbeContext& ctx, Verdict* v) {
  if (!ctx.test.params.Has("inject")) return;
  auto injection = ParseInjection(ctx.test.params.StringList("inject"));
  auto counts = ReadInjectionCounts(ctx.work_dir / "student-io-shim");
  if (!injection || !counts) return;
  for (const Section& s : v->sections) {
    if (s.title == "What the grader injected") return;  // Done already.
  }
  v->summary +=
      " (This test made some of your server's calls return short "
      "or fail with EINTR; see below.)";
  v->sections.insert(
      v->sections.begin(),
      {"What the grader injected", DescribeInjection(*injection, *counts)});
}

namespace {

// A scenario that ran into its limit says what the limit was and why: a
// multiple of the reference's time, the floor, or the test's own timeout
// (which also has to leave room to start and stop the server).
void AddTimeLimit(const ServerRun& ref, const ServerRun& mine,
                  const ServerOptions& limits, const DeadlinePolicy& policy,
                  std::chrono::milliseconds test_timeout, Verdict* v) {
  using Seconds = std::chrono::duration<double>;
  const Seconds cap = test_timeout - std::chrono::milliseconds(500) -
                      std::chrono::duration_cast<Seconds>(mine.ready_time);
  const Seconds limit = std::min<Seconds>(limits.scenario_limit, cap);
  if (v->outcome != Outcome::kTimeout &&
      mine.scenario_time + std::chrono::milliseconds(100) < limit) {
    return;
  }
  auto text = [](Seconds s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s.count());
    return std::string(buf);
  };
  const Seconds derived = ref.scenario_time * policy.multiple;
  std::string why;
  if (limit < Seconds(limits.scenario_limit) ||
      limit < std::max<Seconds>(derived, policy.floor)) {
    why = "what the test's timeout (" + text(test_timeout) +
          ", set in lab.yaml) left once your server had started";
  } else if (derived > Seconds(policy.floor)) {
    why = std::to_string(int(policy.multiple)) +
          " times as long as the reference server took for the same test "
          "just before (" +
          text(ref.scenario_time) + ")";
  } else {
    why = "the shortest time any test allows (the reference server took " +
          text(ref.scenario_time) + ", and " +
          std::to_string(int(policy.multiple)) + " times that is less)";
  }
  v->sections.push_back(
      {"Time allowed", "This test gave your server " + text(limit) +
                           " to serve its clients: " + why + "."});
}

}  // namespace

Verdict RunAgainstReference(const ProbeContext& ctx,
                            const std::vector<std::string>& args,
                            const Scenario& reference_scenario,
                            const Scenario& student_scenario,
                            const DeadlinePolicy& policy,
                            const std::string& private_network) {
  Injection injection;
  if (ctx.test.params.Has("inject")) {
    injection = *ParseInjection(ctx.test.params.StringList("inject"));
  }
  ServerOptions reference = ReferenceOptions(ctx, injection);
  reference.private_network = private_network;
  auto ref = RunServer(ctx.reference, args, ctx.work_dir / "reference",
                       ctx.test.timeout, reference_scenario, reference);
  if (auto problem = RunProblem(ref, "the reference server")) {
    problem->outcome = Outcome::kError;
    problem->summary =
        "The reference server failed this test, so the grader "
        "cannot judge it (not your fault): " +
        problem->summary;
    return *problem;
  }
  if (ref->verdict.outcome != Outcome::kPass) {
    Verdict v = ref->verdict;
    v.outcome = Outcome::kError;
    v.summary =
        "The reference server failed this test, so the grader cannot "
        "judge it (not your fault): " +
        v.summary;
    return v;
  }
  if (injection.any()) {
    if (auto v = ShimUnreachable(ctx)) return *v;
  }
  ServerOptions student = StudentOptions(ctx, injection, *ref, policy);
  student.private_network = private_network;
  auto mine = RunServer(ctx.student, args, ctx.work_dir / "student",
                        ctx.test.timeout, student_scenario, student);
  std::vector<Section> context = ServerContext(ctx, args);
  if (auto problem = RunProblem(mine, "Your server")) {
    if (injection.any()) AddInjectionReport(ctx, &*problem);
    // Try it yourself says how to run it, in a form that works when
    // pasted; the grader's own command names its temporary build.
    std::erase_if(problem->sections,
                  [](const Section& s) { return s.title == "Command"; });
    problem->sections.insert(problem->sections.end(), context.begin(),
                             context.end());
    return *problem;
  }
  Verdict v = mine->verdict;
  if (injection.any()) AddInjectionReport(ctx, &v);
  if (v.outcome != Outcome::kPass) {
    AddTimeLimit(*ref, *mine, student, policy, ctx.test.timeout, &v);
    if (!mine->result.err.empty()) {
      v.sections.push_back({"Your server's stderr", mine->result.err});
    }
    v.sections.insert(v.sections.end(), context.begin(), context.end());
  }
  return v;
}

}  // namespace ipclab
