#include "echo/echo_lifecycle_kind.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include "core/shell_quote.h"
#include "core/text_diff.h"
#include "echo/echo_probe.h"
#include "echo/listen_backlog.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A server that has had a client: one echo on a connection kept open, so
// the server side closes first when it ends (TIME_WAIT on its port).
Verdict EchoOnce(ServerSession& s, TcpClient* keep) {
  auto c = TcpClient::Connect(s.port, s.deadline);
  if (!c) return Verdict::Fail(Outcome::kFail, c.error().message);
  ExchangeOptions o;
  o.half_close = false;
  o.await_eof = false;
  auto r = c->Exchange("hi\n", o, s.deadline);
  if (r.end != ExchangeEnd::kGotAll) {
    return Verdict::Fail(Outcome::kFail,
                         "A client was not echoed (" + Describe(r.end) + ").");
  }
  if (keep) *keep = std::move(*c);
  return Verdict::Pass();
}

// Sends `sig` to a server that has a client, and expects exit status 0
// within a generous limit (the contract says one second).
Verdict SignalCheck(const std::filesystem::path& exe,
                    const std::vector<std::string>& args,
                    const std::filesystem::path& dir, milliseconds timeout,
                    int sig, const std::string& who) {
  bool still_running = false;
  auto run = RunServer(exe, args, dir, timeout, [&](ServerSession& s) {
    TcpClient keep;
    Verdict v = EchoOnce(s, &keep);
    if (v.outcome != Outcome::kPass) return v;
    (void)s.running->Signal(sig);
    still_running = !s.running->WaitFinished(seconds(5));
    return Verdict::Pass();
  });
  if (!run) return Verdict::Fail(Outcome::kError, run.error().message);
  if (!run->ready) {
    auto problem = RunProblem(run, who);
    if (problem) return *problem;
  }
  if (run->verdict.outcome != Outcome::kPass) return run->verdict;
  const std::string name = SignalName(sig);
  if (still_running) {
    return Verdict::Fail(
        Outcome::kFail, who + " was still running 5 s after " + name + ".",
        {{"What to do", "Handle " + name +
                            ": set a flag (or write to a "
                            "self-pipe) in the handler, make the accept loop "
                            "notice it, and return 0 from main."}});
  }
  if (run->result.status != ExitStatus::Exited(0)) {
    return Verdict::Fail(
        Outcome::kFail,
        who + (run->result.status.signaled() ? " was " : " ") +
            run->result.status.Describe() + " on " + name +
            "; it must exit with status 0.",
        {{"What to do", "Catch " + name +
                            " with sigaction (its default action kills the "
                            "process, which a shell reports as status " +
                            std::to_string(128 + sig) +
                            "), then leave the accept loop "
                            "and return 0 from main."}});
  }
  return Verdict::Pass();
}

// The same arguments, with `--port` set to `port`.
std::vector<std::string> WithPort(std::vector<std::string> args, int port) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--port") args[i + 1] = std::to_string(port);
  }
  return args;
}

// The restarted server could not listen on its old port.
Verdict NotListeningAgain(const ServerRun& second, const std::string& who,
                          int port) {
  return Verdict::Fail(
      Outcome::kFail,
      who + " could not listen on port " + std::to_string(port) +
          " again right after it was stopped there (" +
          second.result.status.Describe() + ").",
      {{"stderr", Preview(second.result.err)},
       {"Why",
        "After a server closes connections, its port stays in TIME_WAIT "
        "for a minute. Set SO_REUSEADDR on the listening socket before "
        "bind() so a restart succeeds at once."}});
}

// The restarted server listened, but on another port than it was given.
Verdict ListeningElsewhere(const ServerRun& second, const std::string& who,
                           int port) {
  return Verdict::Fail(
      Outcome::kFail,
      who + " was asked for port " + std::to_string(port) + " (--port " +
          std::to_string(port) +
          ") but printed 'listening "
          "on " +
          std::to_string(second.port) + "'.",
      {{"stderr", Preview(second.result.err)},
       {"Why",
        "The lab's contract: the server listens on the port it is given, "
        "or exits with status 1. If bind() fails and its result is not "
        "checked, listen() binds the socket to a random free port (the "
        "kernel's rule for an unbound socket), so the server seems to "
        "start. Check bind()'s result, and set SO_REUSEADDR before it so "
        "a restart succeeds while old connections are in TIME_WAIT."}});
}

Verdict RestartCheck(const std::filesystem::path& exe,
                     const std::vector<std::string>& args,
                     const std::filesystem::path& dir, milliseconds timeout,
                     const std::string& who) {
  int port = 0;
  auto first =
      RunServer(exe, args, dir / "first", timeout, [&](ServerSession& s) {
        port = s.port;
        TcpClient keep;
        Verdict v = EchoOnce(s, &keep);
        // Killed with the connection open: the server's
        // side closes first and its port enters TIME_WAIT.
        s.running->Stop();
        s.running->WaitFinished(seconds(10));
        return v;
      });
  if (auto problem = RunProblem(first, who)) {
    if (!first || !first->ready) return *problem;
  }
  if (first->verdict.outcome != Outcome::kPass) return first->verdict;
  auto second =
      RunServer(exe, WithPort(args, port), dir / "second", timeout,
                [&](ServerSession& s) { return EchoOnce(s, nullptr); });
  if (!second) return Verdict::Fail(Outcome::kError, second.error().message);
  if (!second->ready) {
    return NotListeningAgain(*second, who, port);
  }
  if (auto problem = RunProblem(second, who)) return *problem;
  if (second->port != port) {
    return ListeningElsewhere(*second, who, port);
  }
  return second->verdict;
}

// Runs the server expecting it to refuse to start.
Verdict RefuseCheck(const std::filesystem::path& exe,
                    const std::vector<std::string>& args,
                    const std::filesystem::path& dir, milliseconds timeout,
                    int want_status, const std::string& what,
                    const std::string& who) {
  auto run = RunServer(exe, args, dir, timeout,
                       [](ServerSession&) { return Verdict::Pass(); });
  if (!run) return Verdict::Fail(Outcome::kError, run.error().message);
  std::vector<std::string> argv{"./echo-server"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<Section> sections{{"Command", ShellQuote(argv)},
                                {"stdout", Preview(run->result.out)},
                                {"stderr", Preview(run->result.err)}};
  if (run->ready) {
    return Verdict::Fail(Outcome::kFail,
                         who + " started listening despite " + what + ".",
                         sections);
  }
  if (run->result.status != ExitStatus::Exited(want_status)) {
    return Verdict::Fail(Outcome::kFail,
                         who + (run->result.status.signaled() ? " was " : " ") +
                             run->result.status.Describe() + " for " + what +
                             "; expected status " +
                             std::to_string(want_status) + ".",
                         sections);
  }
  if (run->result.err.empty()) {
    return Verdict::Fail(Outcome::kFail,
                         who + " printed nothing on stderr for " + what +
                             "; say what is wrong (and, for bad arguments, "
                             "how to use it).",
                         sections);
  }
  return Verdict::Pass();
}

// The backlog the server gave listen(), read back from the kernel while it
// runs: at least 128 (or net.core.somaxconn, if the machine's is lower).
Verdict BacklogCheck(const std::filesystem::path& exe,
                     const std::vector<std::string>& args,
                     const std::filesystem::path& dir, milliseconds timeout,
                     const std::string& who) {
  const int needed = std::min(128, SomaxConn());
  auto run = RunServer(exe, args, dir, timeout, [&](ServerSession& s) {
    auto backlog = ListenBacklog(s.port);
    if (!backlog)
      return Verdict::Fail(Outcome::kError, backlog.error().message);
    if (!*backlog) {
      return Verdict::Fail(Outcome::kFail,
                           who + " printed \"listening on " +
                               std::to_string(s.port) +
                               "\", but no socket was listening on that port.");
    }
    if (**backlog >= needed) return Verdict::Pass();
    return Verdict::Fail(
        Outcome::kFail,
        who + " listens with a backlog of " + std::to_string(**backlog) +
            " (as the kernel reports it; `ss -ltn` shows it as Send-Q). The "
            "lab asks for listen(fd, SOMAXCONN), or at least " +
            std::to_string(needed) + " (the lab's own contract).",
        {{"Why it matters",
          "The backlog is how many connections the kernel completes and "
          "holds for you until you accept() them. Once it is full, the "
          "kernel drops new connection attempts (Linux), and clients wait "
          "seconds to retry, or give up: a pool whose workers are all busy "
          "relies on it."}});
  });
  if (auto problem = RunProblem(run, who)) return *problem;
  return run->verdict;
}

// A port that is certainly taken: the grader listens on it meanwhile.
struct HeldPort {
  int fd = -1;
  int port = 0;
  HeldPort() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) == 0 &&
        ::listen(fd, 1) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
      port = ntohs(a.sin_port);
    }
  }
  ~HeldPort() {
    if (fd >= 0) ::close(fd);
  }
};

Verdict Check(const ProbeContext& ctx, const std::filesystem::path& exe,
              const std::string& dir, const std::string& who) {
  const auto& p = ctx.test.params;
  const std::string check = p.String("check");
  const auto work = ctx.work_dir / dir;
  const auto timeout = ctx.test.timeout;
  if (check == "sigterm" || check == "sigint") {
    return SignalCheck(exe, ServerArgs(p), work, timeout,
                       check == "sigterm" ? SIGTERM : SIGINT, who);
  }
  if (check == "restart")
    return RestartCheck(exe, ServerArgs(p), work, timeout, who);
  if (check == "backlog") {
    return BacklogCheck(exe, ServerArgs(p), work, timeout, who);
  }
  if (check == "bad-args") {
    return RefuseCheck(exe, p.StringList("args"), work, timeout, 2,
                       "bad arguments", who);
  }
  HeldPort held;
  if (held.port == 0) {
    return Verdict::Fail(Outcome::kError, "The grader could not take a port.");
  }
  Verdict refused = RefuseCheck(
      exe, ServerArgs(p, held.port), work, timeout, 1,
      "a port already in use (" + std::to_string(held.port) + ")", who);
  if (refused.outcome != Outcome::kPass) return refused;
  // Exiting 1 is only right if the server does listen when it can: start
  // it on a free port and expect an echo.
  auto run = RunServer(exe, ServerArgs(p), work / "free-port", timeout,
                       [](ServerSession& s) { return EchoOnce(s, nullptr); });
  if (auto problem = RunProblem(run, who)) return *problem;
  return run->verdict;
}

}  // namespace

std::string_view EchoLifecycleKind::Description() const {
  return "Start and stop: signals, restart on the same port, bad arguments, "
         "a port in use.";
}

std::vector<ParamSpec> EchoLifecycleKind::Params() const {
  auto params = ServerParams();
  params.push_back({"check", ParamType::kString, true,
                    "sigterm, sigint, restart, backlog, bad-args or "
                    "port-in-use"});
  params.push_back({"args", ParamType::kStringList, false,
                    "the command-line arguments (for bad-args)"});
  return params;
}

Status EchoLifecycleKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  const std::string c = test.params.String("check");
  if (c != "sigterm" && c != "sigint" && c != "restart" && c != "backlog" &&
      c != "bad-args" && c != "port-in-use") {
    return Error{
        "'check' must be sigterm, sigint, restart, backlog, bad-args or "
        "port-in-use, not '" +
        c + "'"};
  }
  if ((c == "bad-args") != test.params.Has("args")) {
    return Error{"'args' goes with check: bad-args, and only with it"};
  }
  return {};
}

Verdict EchoLifecycleKind::Run(const ProbeContext& ctx) const {
  Verdict ref = Check(ctx, ctx.reference, "reference", "The reference server");
  if (ref.outcome != Outcome::kPass) {
    ref.outcome = Outcome::kError;
    ref.summary =
        "The reference server failed this test, so the grader "
        "cannot judge it (not your fault): " +
        ref.summary;
    return ref;
  }
  Verdict v = Check(ctx, ctx.student, "student", "Your server");
  if (v.outcome != Outcome::kPass) {
    auto context = ServerContext(ctx, ServerArgs(ctx.test.params));
    v.sections.insert(v.sections.end(), context.begin(), context.end());
  }
  return v;
}

}  // namespace ipclab
