#include "echo/echo_mode_kind.h"

#include <sys/socket.h>

#include <thread>

#include "core/proc_tree.h"
#include "echo/echo_probe.h"
#include "echo/observe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

// Every process of the test except the server itself: a child per
// connection may also be a grandchild (double fork), so count the tree
// under ipclab-init, not the server's direct children.
int WorkerProcesses(pid_t server) {
  const pid_t init = ReadProcess(server).ppid;
  int n = 0;
  for (const auto& p : Descendants(init, ReadProcessTable())) {
    if (p.pid != server && p.state != 'Z') ++n;
  }
  return n;
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

Verdict CheckFork(ServerSession& s, int k) {
  const int before = WorkerProcesses(s.pid);
  auto held = HoldServed(s, k);
  if (!held) return Verdict::Fail(Outcome::kFail, held.error().message + ".");
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
        "With " + std::to_string(k) + " connections open and served, the "
        "server had only " + std::to_string(during) + " more thread(s) "
        "than before them.",
        {{"What thread mode means",
          "Each accepted connection is served by a new thread; the main "
          "thread goes straight back to accept()."}});
  }
  return Verdict::Pass();
}

// Exactly N connections are served at once: N echoes must come (else the
// pool is too small), and while those N stay open nobody else may be served
// (a positive witness of too many workers).
Verdict CheckPoolWorkers(ServerSession& s, int n) {
  const int threads_before = Observe(s.pid).threads;
  std::vector<TcpClient> clients;
  const int m = n + 2;
  for (int i = 0; i < m; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return Verdict::Fail(Outcome::kFail, c.error().message);
    clients.push_back(std::move(*c));
  }
  std::vector<bool> served(m, false);
  std::string ping = "ping\n";
  for (auto& c : clients) {
    (void)!::send(c.fd(), ping.data(), ping.size(), MSG_NOSIGNAL);
  }
  // Wait (observing, bounded by the deadline) until N have their echo.
  auto count_served = [&] {
    int k = 0;
    for (int i = 0; i < m; ++i) {
      if (!served[i] && clients[i].DataWaiting()) served[i] = true;
      k += served[i];
    }
    return k;
  };
  int k = 0;
  while ((k = count_served()) < n && Clock::now() < s.deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  if (k < n) {
    return Verdict::Fail(
        Outcome::kFail,
        "Only " + std::to_string(k) + " of " + std::to_string(m) +
            " connected clients were served; a pool of " + std::to_string(n) +
            " workers must serve " + std::to_string(n) + " at once.");
  }
  // Give extra workers, if any, a fair chance to show themselves. Seeing
  // none proves nothing, so this wait only ever leads to a pass.
  const auto watch_until = Clock::now() + milliseconds(300);
  while (Clock::now() < watch_until && (k = count_served()) == n) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  if (k > n) {
    return Verdict::Fail(
        Outcome::kFail,
        std::to_string(k) + " clients were served at the same time by a "
        "pool of " + std::to_string(n) + " workers.",
        {{"What pool mode means",
          "Exactly N worker threads serve connections; an accepted "
          "connection waits in the queue until a worker is free. No thread "
          "may be created per connection."}});
  }
  const int threads_during = Observe(s.pid).threads;
  if (threads_during > threads_before && threads_during > n + 2) {
    return Verdict::Fail(
        Outcome::kFail,
        "The server went from " + std::to_string(threads_before) + " to " +
            std::to_string(threads_during) + " threads while " +
            std::to_string(m) + " clients were connected; a pool of " +
            std::to_string(n) + " must not create threads per connection.");
  }
  // Free one worker: a waiting client must now be served from the queue.
  for (int i = 0; i < m; ++i) {
    if (served[i]) {
      clients[i].Close();
      break;
    }
  }
  for (int i = 0; i < m; ++i) {
    if (served[i]) continue;
    auto r = clients[i].Receive(ping.size(), s.deadline);
    if (r.end == ExchangeEnd::kGotAll) return Verdict::Pass();
    break;
  }
  return Verdict::Fail(Outcome::kFail,
                       "After one of the " + std::to_string(n) +
                           " served clients left, the clients waiting in the "
                           "queue were still not served.");
}

// The queue holds at most Q accepted connections: with N workers busy, the
// server may hold N + Q accepted connections (+1 in the acceptor's hand);
// the rest must wait in the kernel's backlog.
Verdict CheckPoolQueue(ServerSession& s, int n, int q) {
  const int bound = n + q + 1;
  const int m = n + q + 6;
  std::vector<TcpClient> clients;
  for (int i = 0; i < m; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return Verdict::Fail(Outcome::kFail, c.error().message);
    clients.push_back(std::move(*c));
  }
  auto accepted = [&] { return Observe(s.pid).sockets - 1; };
  int most = 0;
  // Settled: the server has taken what it may, the rest is in the backlog.
  while (Clock::now() < s.deadline) {
    int a = accepted();
    most = std::max(most, a);
    if (a > bound) break;
    if (a >= n + q && AcceptQueueLength(s.port) + a >= m) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  const auto watch_until = Clock::now() + milliseconds(300);
  while (most <= bound && Clock::now() < watch_until) {
    most = std::max(most, accepted());
    std::this_thread::sleep_for(milliseconds(10));
  }
  if (most > bound) {
    return Verdict::Fail(
        Outcome::kFail,
        "With " + std::to_string(n) + " workers busy and a queue of " +
            std::to_string(q) + ", the server accepted " +
            std::to_string(most) + " connections (at most " +
            std::to_string(bound) + " allowed).",
        {{"Back-pressure",
          "When the queue is full, the listening thread must stop calling "
          "accept() until a worker takes a connection from the queue. The "
          "extra clients then wait in the kernel's listen backlog instead "
          "of costing the server memory and descriptors."}});
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
  params.push_back({"check_queue", ParamType::kBool, false,
                    "pool mode: check the queue bound instead of the workers"});
  return params;
}

Status EchoModeKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  if (test.params.Bool("check_queue") &&
      test.params.String("mode", "thread") != "pool") {
    return Error{"'check_queue' applies to mode: pool only"};
  }
  return {};
}

Verdict EchoModeKind::Run(const ProbeContext& ctx) const {
  const auto& p = ctx.test.params;
  const std::string mode = p.String("mode", "thread");
  const int k = int(p.Int("connections", 5));
  const int n = int(p.Int("workers", 4));
  const int q = int(p.Int("queue", 16));
  const bool queue = p.Bool("check_queue");
  Scenario scenario = [&](ServerSession& s) {
    if (mode == "fork") return CheckFork(s, k);
    if (mode == "thread") return CheckThread(s, k);
    return queue ? CheckPoolQueue(s, n, q) : CheckPoolWorkers(s, n);
  };
  return RunAgainstReference(ctx, ServerArgs(p), scenario, scenario);
}

}  // namespace ipclab
