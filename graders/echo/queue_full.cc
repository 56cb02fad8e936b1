#include "echo/queue_full.h"

#include <poll.h>
#include <sys/socket.h>

#include <csignal>
#include <thread>

#include "core/deadline.h"
#include "echo/echo_probe.h"
#include "echo/observe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

// Clients beyond the queue: they wait in the kernel's backlog until the
// accepting thread has room again.
constexpr int kInBacklog = 2;

// Why the busy clients were not served: no worker took their connection.
Section NoWorker() {
  return {"A likely cause",
          "No worker served the connection: the pool must start exactly "
          "--workers threads before it prints its line, and the accepting "
          "thread must notify a waiting worker each time it queues a "
          "connection."};
}

// What a pool with a lost wake-up on "not full" does.
Section LostWakeup() {
  return {"A likely cause: a lost wake-up",
          "When a worker takes a connection from the queue, the accepting "
          "thread may be waiting for room: notify the condition variable it "
          "waits on after each pop. Otherwise it sleeps for good and never "
          "accepts the clients in the backlog."};
}

struct FullPool {
  std::vector<TcpClient> busy;     // Served, held open: every worker busy.
  std::vector<TcpClient> waiting;  // Queued, then in the backlog.
};

std::string Ping(int i) { return "waiting client " + std::to_string(i) + "\n"; }

Result<TcpClient> ConnectAndSend(ServerSession& s, const std::string& text) {
  auto c = TcpClient::Connect(s.port, s.deadline);
  if (!c) return c.error();
  (void)!::send(c->fd(), text.data(), text.size(), MSG_NOSIGNAL);
  return c;
}

// Waits, by observation, until `done()` holds; false at the deadline.
template <typename Pred>
bool WaitUntil(ServerSession& s, Pred done) {
  while (!done()) {
    if (Clock::now() >= s.deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return true;
}

// n clients served and held, q queued (accepted), kInBacklog more in the
// backlog: the accepting thread now waits for room.
// On failure, `cause` says what most likely went wrong.
Result<FullPool> FillPool(ServerSession& s, int n, int q, Section* cause) {
  *cause = LostWakeup();
  FullPool pool;
  for (int i = 0; i < n; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return c.error();
    ExchangeOptions o;
    o.half_close = false;
    o.await_eof = false;
    auto r = c->Exchange("busy " + std::to_string(i) + "\n", o, s.deadline);
    if (r.end != ExchangeEnd::kGotAll) {
      *cause = NoWorker();
      return Error{"Client " + std::to_string(i + 1) + " of the " +
                   std::to_string(n) +
                   " that should keep the workers busy "
                   "was not served (" +
                   Describe(r.end) + ")"};
    }
    pool.busy.push_back(std::move(*c));
  }
  auto accepted = [&] { return Observe(s.pid).sockets - 1; };
  for (int i = 0; i < q + kInBacklog; ++i) {
    auto c = ConnectAndSend(s, Ping(int(pool.waiting.size()) + 1));
    if (!c) return c.error();
    pool.waiting.push_back(std::move(*c));
    if (i + 1 == q && !WaitUntil(s, [&] { return accepted() >= n + q; })) {
      return Error{
          "With every worker busy and the queue empty, the server "
          "did not accept the " +
          std::to_string(q) + " connection(s) its queue has room for"};
    }
  }
  // Settled: what the server did not accept waits in the backlog.
  const int all = n + q + kInBacklog;
  WaitUntil(s, [&] { return accepted() + AcceptQueueLength(s.port) >= all; });
  return pool;
}

// Frees the workers, then serves every waiting client: whichever gets its
// echo next (the order is the server's business) is finished, which frees
// its worker for the next.
Verdict DrainInTurn(ServerSession& s, FullPool& pool, int q) {
  for (auto& c : pool.busy) {
    ::shutdown(c.fd(), SHUT_WR);
    c.Receive(SIZE_MAX, s.deadline);  // Until EOF: the worker is free.
  }
  std::vector<int> left;
  for (int i = 0; i < int(pool.waiting.size()); ++i) left.push_back(i);
  while (!left.empty()) {
    std::vector<pollfd> fds;
    for (int i : left) fds.push_back({pool.waiting[i].fd(), POLLIN, 0});
    const auto wait =
        std::chrono::duration_cast<milliseconds>(s.deadline - Clock::now());
    if (::poll(fds.data(), fds.size(), std::max<int>(0, wait.count())) <= 0) {
      const int served = int(pool.waiting.size() - left.size());
      return Verdict::Fail(Outcome::kFail,
                           "With the queue full (" + std::to_string(q) +
                               " waiting) and " + std::to_string(kInBacklog) +
                               " more clients in the listen "
                               "backlog, the workers were freed, but only " +
                               std::to_string(served) + " of the " +
                               std::to_string(pool.waiting.size()) +
                               " waiting clients were served.",
                           {LostWakeup()});
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      TcpClient& c = pool.waiting[left[k]];
      const std::string want = Ping(left[k] + 1);
      auto r = c.Receive(want.size(), s.deadline);
      if (r.received != want) {
        return Verdict::Fail(Outcome::kFail,
                             "Waiting client " + std::to_string(left[k] + 1) +
                                 " got back different bytes than it sent (" +
                                 Describe(r.end) + ").");
      }
      ::shutdown(c.fd(), SHUT_WR);
      c.Receive(SIZE_MAX, s.deadline);
      c.Close();
      left.erase(left.begin() + k);
      break;
    }
  }
  return Verdict::Pass();
}

struct SigtermRun {
  Result<ServerRun> run = Error{"not run"};
  bool still_running = false;
  std::string fill_problem;  // The pool could not be filled as planned.
  Section cause;             // Its likely cause.
};

SigtermRun RunSigterm(const std::filesystem::path& exe,
                      const std::vector<std::string>& args,
                      const std::filesystem::path& dir, milliseconds timeout,
                      int n, int q, const ServerOptions& options) {
  SigtermRun out;
  out.run = RunServer(
      exe, args, dir, timeout,
      [&](ServerSession& s) {
        // Whether or not the pool filled as planned, the stop must work.
        auto pool = FillPool(s, n, q, &out.cause);
        if (!pool) out.fill_problem = pool.error().message + ".";
        (void)s.running->Signal(SIGTERM);
        const auto left =
            std::chrono::duration_cast<milliseconds>(s.deadline - Clock::now());
        out.still_running =
            !s.running->WaitFinished(std::max(left, milliseconds(0)));
        return Verdict::Pass();
      },
      options);
  return out;
}

// The reference must stop; then the student's server, with as long as a
// multiple of the reference's time.
Verdict JudgeSigterm(const SigtermRun& mine, const std::string& what) {
  if (!mine.run)
    return Verdict::Fail(Outcome::kError, mine.run.error().message);
  if (!mine.run->ready) {
    if (auto problem = RunProblem(mine.run, "Your server")) return *problem;
  }
  if (mine.run->verdict.outcome != Outcome::kPass) return mine.run->verdict;
  const std::string state = "SIGTERM arrived while " + what +
                            " and the accepting thread waited "
                            "for room in the queue";
  std::vector<Section> before;
  if (!mine.fill_problem.empty()) {
    before = {{"Before the signal", mine.fill_problem}, mine.cause};
  }
  if (mine.still_running) {
    before.insert(
        before.begin(),
        {"What to do",
         "The lab's contract: SIGTERM ends the server with status 0 "
         "promptly, whatever it is doing. A thread waiting on a condition "
         "variable does not see the stop pipe: when a stop is requested, "
         "close the queue and notify every waiter (workers and the "
         "accepting thread), and make sure a worker that takes a "
         "connection notifies the accepting thread."});
    return Verdict::Fail(Outcome::kFail,
                         "Your server was still running after " + state + ".",
                         before);
  }
  if (mine.run->result.status != ExitStatus::Exited(0)) {
    return Verdict::Fail(
        Outcome::kFail, "Your server " + mine.run->result.status.Describe() +
                            " when " + state + "; it must exit with status 0.");
  }
  if (!mine.fill_problem.empty()) {
    return Verdict::Fail(Outcome::kFail, mine.fill_problem, {mine.cause});
  }
  return Verdict::Pass();
}

}  // namespace

Verdict CheckQueueFullDrains(const ProbeContext& ctx, int workers, int queue) {
  Scenario scenario = [&](ServerSession& s) {
    Section cause;
    auto pool = FillPool(s, workers, queue, &cause);
    if (!pool) {
      return Verdict::Fail(Outcome::kFail, pool.error().message + ".", {cause});
    }
    return DrainInTurn(s, *pool, queue);
  };
  return RunAgainstReference(ctx, ServerArgs(ctx.test.params), scenario,
                             scenario);
}

Verdict CheckQueueFullSigterm(const ProbeContext& ctx, int workers, int queue) {
  const auto args = ServerArgs(ctx.test.params);
  SigtermRun ref = RunSigterm(ctx.reference, args, ctx.work_dir / "reference",
                              ctx.test.timeout, workers, queue, {});
  Verdict rv = JudgeSigterm(ref, "every worker was busy");
  if (rv.outcome != Outcome::kPass) {
    rv.outcome = Outcome::kError;
    rv.summary =
        "The reference server failed this test, so the grader "
        "cannot judge it (not your fault): " +
        rv.summary;
    return rv;
  }
  ServerOptions limits;
  limits.ready_limit =
      DeadlineFromReference(ref.run->ready_time, milliseconds(15000));
  limits.scenario_limit =
      DeadlineFromReference(ref.run->scenario_time, ctx.test.timeout);
  SigtermRun mine = RunSigterm(ctx.student, args, ctx.work_dir / "student",
                               ctx.test.timeout, workers, queue, limits);
  Verdict v = JudgeSigterm(mine, "every worker was busy");
  if (v.outcome != Outcome::kPass) {
    auto context = ServerContext(ctx, args);
    v.sections.insert(v.sections.end(), context.begin(), context.end());
  }
  return v;
}

}  // namespace ipclab
