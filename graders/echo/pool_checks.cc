#include "echo/pool_checks.h"

#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "echo/observe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kPing = "ping\n";

// Opens `m` connections, none used yet.
Result<std::vector<TcpClient>> ConnectClients(ServerSession& s, int m) {
  std::vector<TcpClient> clients;
  for (int i = 0; i < m; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return c.error();
    clients.push_back(std::move(*c));
  }
  return clients;
}

// Which of the clients have had (the start of) their echo. Serving is
// observed, never waited for per client: a client once seen served stays so.
class ServedClients {
 public:
  explicit ServedClients(std::vector<TcpClient>& clients)
      : clients_(clients), served_(clients.size(), false) {}

  // Looks again at every client not yet served; returns how many are.
  int Count() {
    int k = 0;
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (!served_[i] && clients_[i].DataWaiting()) served_[i] = true;
      k += served_[i];
    }
    return k;
  }

  // Closes the first served client, which frees its worker.
  void CloseOneServed() {
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (served_[i]) {
        clients_[i].Close();
        return;
      }
    }
  }

  // Whether the first client still waiting now gets its echo.
  bool FirstWaitingServed(Clock::time_point deadline) {
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (served_[i]) continue;
      auto r = clients_[i].Receive(kPing.size(), deadline);
      return r.end == ExchangeEnd::kGotAll;
    }
    return false;
  }

 private:
  std::vector<TcpClient>& clients_;
  std::vector<bool> served_;
};

// Waits (observing, bounded by the deadline) until `n` have their echo;
// returns how many have.
int AwaitServed(ServedClients& served, int n, Clock::time_point deadline) {
  int k = 0;
  while ((k = served.Count()) < n && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  return k;
}

// Gives extra workers, if any, a fair chance to show themselves; `k` is
// how many are served now; returns how many are at the end. Seeing none proves
// nothing, so this wait only ever leads to a pass.
int WatchForExtraWorkers(ServedClients& served, int n, int k) {
  const auto watch_until = Clock::now() + milliseconds(300);
  while (Clock::now() < watch_until && (k = served.Count()) == n) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  return k;
}

Verdict TooFewServed(int k, int m, int n) {
  return Verdict::Fail(
      Outcome::kFail, "Only " + std::to_string(k) + " of " + std::to_string(m) +
                          " connected clients were served; a pool of " +
                          std::to_string(n) + " workers must serve " +
                          std::to_string(n) + " at once.");
}

Verdict TooManyServed(int k, int n) {
  return Verdict::Fail(
      Outcome::kFail,
      std::to_string(k) +
          " clients were served at the same time by a "
          "pool of " +
          std::to_string(n) + " workers.",
      {{"What pool mode means",
        "Exactly N worker threads serve connections; an accepted "
        "connection waits in the queue until a worker is free. No thread "
        "may be created per connection."}});
}

// How many connections the server has accepted: its sockets but the
// listening one.
int AcceptedConnections(pid_t server) { return Observe(server).sockets - 1; }

// The most connections the server held at once, watched until it has
// settled (it has taken what it may, the rest is in the backlog), then a
// little longer; stops early once `bound` is exceeded.
int MostAccepted(ServerSession& s, int n, int q, int m, int bound) {
  int most = 0;
  while (Clock::now() < s.deadline) {
    int a = AcceptedConnections(s.pid);
    most = std::max(most, a);
    if (a > bound) break;
    if (a >= n + q && AcceptQueueLength(s.port) + a >= m) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  const auto watch_until = Clock::now() + milliseconds(300);
  while (most <= bound && Clock::now() < watch_until) {
    most = std::max(most, AcceptedConnections(s.pid));
    std::this_thread::sleep_for(milliseconds(10));
  }
  return most;
}

}  // namespace

Verdict CheckPoolWorkers(ServerSession& s, int n) {
  const int threads_before = Observe(s.pid).threads;
  const int m = n + 2;
  auto clients = ConnectClients(s, m);
  if (!clients) return Verdict::Fail(Outcome::kFail, clients.error().message);
  for (auto& c : *clients) {
    (void)!::send(c.fd(), kPing.data(), kPing.size(), MSG_NOSIGNAL);
  }
  ServedClients served(*clients);
  int k = AwaitServed(served, n, s.deadline);
  if (k < n) return TooFewServed(k, m, n);
  k = WatchForExtraWorkers(served, n, k);
  if (k > n) return TooManyServed(k, n);
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
  served.CloseOneServed();
  if (served.FirstWaitingServed(s.deadline)) return Verdict::Pass();
  return Verdict::Fail(Outcome::kFail,
                       "After one of the " + std::to_string(n) +
                           " served clients left, the clients waiting in the "
                           "queue were still not served.");
}

Verdict CheckPoolQueue(ServerSession& s, int n, int q) {
  const int bound = n + q + 1;
  const int m = n + q + 6;
  auto clients = ConnectClients(s, m);
  if (!clients) return Verdict::Fail(Outcome::kFail, clients.error().message);
  const int most = MostAccepted(s, n, q, m, bound);
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

}  // namespace ipclab
