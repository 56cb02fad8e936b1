#include "echo/echo_mode_kind.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "core/proc_tree.h"
#include "echo/echo_probe.h"
#include "echo/observe.h"
#include "echo/pool_checks.h"
#include "echo/queue_full.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kIdleWindow{1000};

// Processes serving connections: a child per connection may also be a
// grandchild (double fork), so the whole test's tree counts.
int WorkerProcesses(pid_t server) {
  const ServerState st = Observe(server);
  return st.tree_live + st.orphans_live;
}

// Opens `count` connections and gets one echo on each, all held open.
Result<std::vector<TcpClient>> HoldServed(ServerSession& s, int count) {
  std::vector<TcpClient> held;
  for (int i = 0; i < count; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return c.error();
    ExchangeOptions o;
    o.half_close = false;
    o.await_eof = false;
    auto r = c->Exchange("ping " + std::to_string(i) + "\n", o, s.deadline);
    if (r.end != ExchangeEnd::kGotAll && i == 0) {
      return Error{"a client's \"ping\" was not echoed (" + Describe(r.end) +
                   ")"};
    }
    if (r.end != ExchangeEnd::kGotAll) {
      return Error{"connection " + std::to_string(i + 1) + " of " +
                   std::to_string(count) + " was not served while the " +
                   std::to_string(i) + " before it stayed open (" +
                   Describe(r.end) + ")"};
    }
    held.push_back(std::move(*c));
  }
  return held;
}

// A child that serves one connection has no use for the listening socket;
// one that keeps it makes the port impossible to reuse (a restarted server
// gets "Address already in use") for as long as any such child lives.
std::optional<Verdict> ChildHoldsListener(ServerSession& s) {
  const unsigned long inode = ListeningSocketInode(s.port);
  if (inode == 0) return std::nullopt;
  const std::string listener = "socket:[" + std::to_string(inode) + "]";
  for (const auto& p : TestProcesses(s.pid, ReadProcessTable())) {
    for (const auto& fd : ReadFds(p.pid)) {
      if (fd.target != listener) continue;
      return Verdict::Fail(
          Outcome::kFail,
          "Process " + std::to_string(p.pid) +
              " (a child serving a "
              "connection) still has the listening socket open, as fd " +
              std::to_string(fd.fd) + ".",
          {{"Why it matters",
            "fork() copies every descriptor, the listening socket too. A "
            "child that keeps it holds the port: while any child lives, a "
            "restarted server cannot bind it (\"Address already in use\"), "
            "even with SO_REUSEADDR. The child must close(listen_fd) first "
            "thing, just as the parent closes the connection."}});
    }
  }
  return std::nullopt;
}

Verdict CheckFork(ServerSession& s, int k) {
  const int before = WorkerProcesses(s.pid);
  auto held = HoldServed(s, k);
  if (!held) return Verdict::Fail(Outcome::kFail, held.error().message + ".");
  // Every connection has been echoed, so each child is past its setup.
  if (auto v = ChildHoldsListener(s)) return *v;
  const int during = WorkerProcesses(s.pid) - before;
  if (during < k) {
    return Verdict::Fail(
        Outcome::kFail,
        "With " + std::to_string(k) + " connections open and served, only " +
            std::to_string(during) + " new process(es) existed.",
        {{"What fork mode means",
          "Each accepted connection is served by a child process made with "
          "fork(); the parent goes straight back to accept()."}});
  }
  return Verdict::Pass();
}

Verdict CheckThread(ServerSession& s, int k) {
  const int before = Observe(s.pid).threads;
  auto held = HoldServed(s, k);
  if (!held) return Verdict::Fail(Outcome::kFail, held.error().message + ".");
  const int during = Observe(s.pid).threads - before;
  if (during < k) {
    return Verdict::Fail(
        Outcome::kFail,
        "With " + std::to_string(k) +
            " connections open and served, the "
            "server had only " +
            std::to_string(during) +
            " more thread(s) "
            "than before them.",
        {{"What thread mode means",
          "Each accepted connection is served by a new thread; the main "
          "thread goes straight back to accept()."}});
  }
  return Verdict::Pass();
}

// Idle means asleep: after serving some clients, a server with no
// connections must use no CPU and not keep waking up. Both are counted
// over a window, not timed: a correct server is blocked in accept() and
// its workers in a condition-variable wait, so it uses 0 ticks and makes 0
// wakeups whatever the load; a spinning worker burns CPU for as much of
// the window as the scheduler gives it, and a sleep-polling one wakes up
// every few milliseconds.
struct Idleness {
  long long ticks = 0;
  long long wakeups = 0;
  int threads = 0;
};

Verdict CheckIdle(ServerSession& s, int k, Idleness* seen) {
  // One client after another: idleness is judged here, not pool size.
  for (int i = 0; i < k; ++i) {
    auto held = HoldServed(s, 1);
    if (!held) return Verdict::Fail(Outcome::kFail, held.error().message + ".");
  }  // Each closed as it goes out of scope.
  // Wait for the server to notice the clients left (sockets back to one).
  const auto settle_until = SettleDeadline(s);
  while (Observe(s.pid).sockets > 1 && Clock::now() < settle_until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  const long long ticks0 = CpuTicks(s.pid);
  const long long wakeups0 = Wakeups(s.pid);
  std::this_thread::sleep_for(kIdleWindow);  // The measurement itself.
  seen->ticks = CpuTicks(s.pid) - ticks0;
  seen->wakeups = Wakeups(s.pid) - wakeups0;
  seen->threads = Observe(s.pid).threads;
  return Verdict::Pass();
}

Verdict JudgeIdle(const Idleness& ref, const Idleness& mine) {
  const long long window_ticks = TicksPerSecond() * kIdleWindow.count() / 1000;
  const std::string window = std::to_string(kIdleWindow.count()) + " ms";
  // A twentieth of one CPU. An idle server uses nothing at all (it never
  // runs); spinning workers got 130-350 ms of every 500 ms with stress-ng
  // running 8 CPU hogs on 2 cores, and escaped a bound of a quarter once,
  // on a machine loaded still more.
  if (mine.ticks > std::max(4 * ref.ticks, window_ticks / 20)) {
    return Verdict::Fail(
        Outcome::kFail,
        "With no client connected, your server used " +
            std::to_string(mine.ticks * 1000 / TicksPerSecond()) +
            " ms of CPU time in " + window + " (the reference used " +
            std::to_string(ref.ticks * 1000 / TicksPerSecond()) + " ms).",
        {{"Busy waiting",
          "Some thread keeps running while there is nothing to do: a worker "
          "that loops checking whether the queue is empty, or an accept "
          "loop on a non-blocking socket. Idle workers must block in a "
          "condition-variable wait (in a while loop on the queue being "
          "empty) until the accept loop puts a connection in the queue "
          "and notifies."}});
  }
  // Five per thread is far more than a correct server makes (none); a
  // thread that sleeps and polls every 10 ms makes fifty.
  const long long allowed = 4 * ref.wakeups + 5LL * std::max(1, mine.threads);
  if (mine.wakeups > allowed) {
    return Verdict::Fail(
        Outcome::kFail,
        "With no client connected, your server's " +
            std::to_string(mine.threads) + " threads woke up " +
            std::to_string(mine.wakeups) + " times in " + window +
            " (the reference's: " + std::to_string(ref.wakeups) + ").",
        {{"Polling",
          "A thread that sleeps a little and checks again (sleep, usleep, "
          "poll or wait_for with a timeout in a loop) wakes up over and over "
          "with nothing to do. Block in a condition-variable wait instead, "
          "and notify it when a connection is queued."}});
  }
  return Verdict::Pass();
}

}  // namespace

std::string_view EchoModeKind::Description() const {
  return "The server's concurrency matches its --mode (processes, threads, "
         "a bounded pool).";
}

std::vector<ParamSpec> EchoModeKind::Params() const {
  auto params = ServerParams();
  params.push_back({"connections", ParamType::kInt, false,
                    "connections held open at once (fork and thread modes)"});
  params.push_back({"check", ParamType::kString, false,
                    "what to check instead of the mode's workers: 'queue' "
                    "(pool mode: the queue bound), 'idle' (no CPU and no "
                    "wakeups with no client), 'queue-full' (pool mode: "
                    "clients waiting behind a full queue are all served) or "
                    "'queue-full-sigterm' (pool mode: SIGTERM then still "
                    "stops the server)"});
  return params;
}

Status EchoModeKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  const std::string check = test.params.String("check", "");
  if (check != "" && check != "queue" && check != "idle" &&
      check != "queue-full" && check != "queue-full-sigterm") {
    return Error{
        "'check' must be queue, idle, queue-full or "
        "queue-full-sigterm, not '" +
        check + "'"};
  }
  if (check.rfind("queue", 0) == 0 &&
      test.params.String("mode", "thread") != "pool") {
    return Error{"'check: " + check + "' applies to mode: pool only"};
  }
  return {};
}

Verdict EchoModeKind::Run(const ProbeContext& ctx) const {
  const auto& p = ctx.test.params;
  const std::string mode = p.String("mode", "thread");
  const int k = int(p.Int("connections", 5));
  const int n = int(p.Int("workers", 4));
  const int q = int(p.Int("queue", 16));
  const std::string check = p.String("check", "");
  if (check == "idle") {
    Idleness ref, mine;
    Verdict v = RunAgainstReference(
        ctx, ServerArgs(p),
        [&](ServerSession& s) { return CheckIdle(s, k, &ref); },
        [&](ServerSession& s) { return CheckIdle(s, k, &mine); });
    if (v.outcome != Outcome::kPass) return v;
    return JudgeIdle(ref, mine);
  }
  if (check == "queue-full") return CheckQueueFullDrains(ctx, n, q);
  if (check == "queue-full-sigterm") return CheckQueueFullSigterm(ctx, n, q);
  const bool queue = check == "queue";
  Scenario scenario = [&](ServerSession& s) {
    if (mode == "fork") return CheckFork(s, k);
    if (mode == "thread") return CheckThread(s, k);
    return queue ? CheckPoolQueue(s, n, q) : CheckPoolWorkers(s, n);
  };
  return RunAgainstReference(ctx, ServerArgs(p), scenario, scenario);
}

}  // namespace ipclab
