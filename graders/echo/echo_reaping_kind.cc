#include "echo/echo_reaping_kind.h"

#include <csignal>
#include <thread>

#include "echo/echo_probe.h"
#include "echo/observe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

// Opens `k` connections, each echoed once and held open.
Result<std::vector<TcpClient>> HoldEchoed(ServerSession& s, int k) {
  std::vector<TcpClient> clients;
  for (int i = 0; i < k; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return c.error();
    ExchangeOptions o;
    o.half_close = false;
    o.await_eof = false;
    auto r = c->Exchange("hello\n", o, s.deadline);
    if (r.end != ExchangeEnd::kGotAll) {
      return Error{"Connection " + std::to_string(i + 1) + " was not echoed (" +
                   Describe(r.end) + ")."};
    }
    clients.push_back(std::move(*c));
  }
  return clients;
}

// Waits until the server has no zombie children left, or the settling time
// is up; returns its state then.
ServerState AwaitReaped(ServerSession& s) {
  ServerState st = Observe(s.pid);
  const auto settle_until = SettleDeadline(s);
  while (st.zombies > 0 && Clock::now() < settle_until) {
    std::this_thread::sleep_for(milliseconds(10));
    st = Observe(s.pid);
  }
  return st;
}

Verdict ReapScenario(ServerSession& s, int k) {
  auto clients = HoldEchoed(s, k);
  if (!clients) return Verdict::Fail(Outcome::kFail, clients.error().message);
  // A reaping test means something only if there is something to reap:
  // every connection must be served by a child process of the server.
  const ServerState served = Observe(s.pid);
  if (served.children < k) {
    return Verdict::Fail(
        Outcome::kFail,
        std::to_string(k) +
            " clients were connected and echoed, but the "
            "server had " +
            std::to_string(served.children) +
            " child processes running, not one per connection.",
        {{"Why",
          "The lab's contract for --mode fork: fork() after accept(), and "
          "the child serves that one connection, then exits. Without "
          "children there is nothing to reap, so this test cannot pass."}});
  }
  const int base_zombies = served.zombies;
  if (Status st = s.running->Signal(SIGSTOP); !st.ok()) {
    return Verdict::Fail(Outcome::kError, st.error().message);
  }
  // Every child now sees EOF and exits while the parent cannot react: the
  // kernel keeps one pending SIGCHLD for all of them.
  for (auto& c : *clients) c.Close();
  while (Observe(s.pid).zombies < base_zombies + k &&
         Clock::now() < s.deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  const int frozen_zombies = Observe(s.pid).zombies;
  (void)s.running->Signal(SIGCONT);
  const ServerState st = AwaitReaped(s);
  if (st.zombies == 0) return Verdict::Pass();
  return Verdict::Fail(
      Outcome::kFail,
      std::to_string(st.zombies) + " of " + std::to_string(frozen_zombies) +
          " exited children were never reaped (zombies).",
      {{"Why",
        "Signals of one kind do not queue: when " + std::to_string(k) +
            " children exit close together, the parent may get a single "
            "SIGCHLD. A handler that calls wait() once reaps one child. "
            "Loop: while (waitpid(-1, nullptr, WNOHANG) > 0) {} (and save "
            "and restore errno in the handler)."}});
}

}  // namespace

std::string_view EchoReapingKind::Description() const {
  return "Fork mode reaps all children even when their SIGCHLDs coalesce.";
}

std::vector<ParamSpec> EchoReapingKind::Params() const {
  auto params = ServerParams();
  params.push_back({"connections", ParamType::kInt, false,
                    "children that exit at once (default 20)"});
  return params;
}

Status EchoReapingKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  if (test.params.String("mode", "thread") != "fork") {
    return Error{"echo-reaping needs mode: fork"};
  }
  return {};
}

Verdict EchoReapingKind::Run(const ProbeContext& ctx) const {
  const int k = int(ctx.test.params.Int("connections", 20));
  Scenario scenario = [k](ServerSession& s) { return ReapScenario(s, k); };
  return RunAgainstReference(ctx, ServerArgs(ctx.test.params), scenario,
                             scenario);
}

}  // namespace ipclab
