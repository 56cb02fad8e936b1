#include "echo/echo_probe.h"

#include <csignal>

#include "core/termination.h"

namespace ipclab {

std::vector<ParamSpec> ServerParams() {
  return {
      {"mode", ParamType::kString, false, "fork, thread or pool"},
      {"workers", ParamType::kInt, false, "--workers N (pool mode)"},
      {"queue", ParamType::kInt, false, "--queue Q (pool mode)"},
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

std::optional<Verdict> RunProblem(const Result<ServerRun>& run,
                                  const std::string& who) {
  if (!run) return Verdict::Fail(Outcome::kError, run.error().message);
  const LaunchResult& r = run->result;
  std::vector<Section> sections{{"Command", run->command}};
  if (!r.err.empty()) sections.push_back({"stderr", r.err});
  // How the run ended is judged in core (JudgeTermination); a server adds
  // its readiness line, the client's view and the SIGPIPE advice. A server
  // is ended by the test (kStopped), and a deadline while it serves shows
  // in the client's own verdict.
  auto standard = [&](std::string extra) {
    Verdict v = *JudgeTermination(r, {who, std::nullopt});
    v.summary += extra;
    v.sections.insert(v.sections.begin(), sections.begin(), sections.end());
    return v;
  };
  switch (r.termination) {
    case Termination::kNotStarted:
    case Termination::kOutputLimit:
    case Termination::kMemoryLimit:
      return standard("");
    case Termination::kProcessLimit:
      return standard(
          " Does a child return into the accept loop instead of exiting?");
    default:
      break;
  }
  if (!run->ready) {
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
  if (run->died_during_scenario) {
    if (!run->verdict.summary.empty()) {
      sections.push_back({"What the client saw", run->verdict.summary});
    }
    if (r.termination == Termination::kSignalled) {
      Verdict v = standard("");
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
    if (r.termination == Termination::kDeadline) return standard("");
    return Verdict::Fail(Outcome::kFail,
                         who + " " + r.status.Describe() +
                             " while the test was running.",
                         sections);
  }
  return std::nullopt;
}

std::vector<Section> ServerContext(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"./echo-server"};
  argv.insert(argv.end(), args.begin(), args.end());
  return {{"Server command", ShellQuote(argv)},
          {"Try it yourself",
           "Start the server as above, note the port it prints, and talk to "
           "it with:\n  nc -N 127.0.0.1 PORT\n(Ctrl-D then half-closes your "
           "side; a correct server echoes the rest and closes.)"}};
}

Verdict RunAgainstReference(const ProbeContext& ctx,
                            const std::vector<std::string>& args,
                            const Scenario& reference_scenario,
                            const Scenario& student_scenario) {
  auto ref = RunServer(ctx.reference, args, ctx.work_dir / "reference",
                       ctx.test.timeout, reference_scenario);
  if (auto problem = RunProblem(ref, "the reference server")) {
    problem->outcome = Outcome::kError;
    problem->summary = "The reference server failed this test, so the grader "
                       "cannot judge it (not your fault): " +
                       problem->summary;
    return *problem;
  }
  if (ref->verdict.outcome != Outcome::kPass) {
    Verdict v = ref->verdict;
    v.outcome = Outcome::kError;
    v.summary = "The reference server failed this test, so the grader cannot "
                "judge it (not your fault): " + v.summary;
    return v;
  }
  auto mine = RunServer(ctx.student, args, ctx.work_dir / "student",
                        ctx.test.timeout, student_scenario);
  std::vector<Section> context = ServerContext(args);
  if (auto problem = RunProblem(mine, "Your server")) {
    problem->sections.insert(problem->sections.end(), context.begin(),
                             context.end());
    return *problem;
  }
  Verdict v = mine->verdict;
  if (v.outcome != Outcome::kPass) {
    if (!mine->result.err.empty()) {
      v.sections.push_back({"Your server's stderr", mine->result.err});
    }
    v.sections.insert(v.sections.end(), context.begin(), context.end());
  }
  return v;
}

}  // namespace ipclab
