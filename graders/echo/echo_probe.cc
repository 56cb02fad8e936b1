#include "echo/echo_probe.h"

#include <csignal>

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
  if (r.exec_failed) {
    return Verdict::Fail(Outcome::kError,
                         who + " could not be started: " + r.exec_error,
                         sections);
  }
  if (!run->ready) {
    sections.push_back({"stdout", r.out.empty() ? "(nothing)" : r.out});
    if (r.timed_out || r.stopped) {
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
  if (r.process_limited) {
    return Verdict::Fail(Outcome::kFail,
                         who +
                             " started more than 256 processes at once, "
                             "so the grader stopped it. Does a child "
                             "return into the accept loop instead of "
                             "exiting?",
                         sections);
  }
  if (run->died_during_scenario) {
    Outcome o = r.status.signaled() ? Outcome::kCrash : Outcome::kFail;
    std::string why;
    if (r.status.signaled() && r.status.signal == SIGPIPE) {
      why =
          " A write to a connection the client had closed raised SIGPIPE, "
          "which kills a process by default. Ignore SIGPIPE (or send with "
          "MSG_NOSIGNAL) and handle the EPIPE error for that connection "
          "only.";
    }
    if (!run->verdict.summary.empty()) {
      sections.push_back({"What the client saw", run->verdict.summary});
    }
    return Verdict::Fail(o,
                         who + (r.status.signaled() ? " was " : " ") +
                             r.status.Describe() +
                             " while the test was running." + why,
                         sections);
  }
  if (r.output_limited) {
    return Verdict::Fail(Outcome::kOutputLimit,
                         who + " printed far too much on stdout or stderr.",
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
                            const Scenario& student_scenario,
                            const std::string& private_network) {
  auto ref = RunServer(ctx.reference, args, ctx.work_dir / "reference",
                       ctx.test.timeout, reference_scenario, private_network);
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
  auto mine = RunServer(ctx.student, args, ctx.work_dir / "student",
                        ctx.test.timeout, student_scenario, private_network);
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
