#include "echo/echo_throughput_kind.h"

#include <sstream>
#include <thread>

#include "echo/echo_probe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

// The best of `rounds` timed bursts: the fastest round is the least
// disturbed by whatever else the machine was doing.
Verdict Burst(ServerSession& s, int clients, std::size_t bytes, int rounds,
              double* best_seconds) {
  *best_seconds = 1e9;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> problems(clients);
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
      threads.emplace_back([&, i] {
        auto c = TcpClient::Connect(s.port, s.deadline);
        if (!c) {
          problems[i] = c.error().message;
          return;
        }
        const std::string data = EchoTestBytes(bytes, i + 7);
        auto r = c->Exchange(data, ExchangeOptions{}, s.deadline);
        if (r.received != data) {
          problems[i] = "client " + std::to_string(i + 1) + " got " +
                        std::to_string(r.received.size()) + " of " +
                        std::to_string(bytes) + " bytes back (" +
                        Describe(r.end) + ")";
        }
      });
    }
    for (auto& t : threads) t.join();
    const double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& p : problems) {
      if (!p.empty()) return Verdict::Fail(Outcome::kFail, p + ".");
    }
    *best_seconds = std::min(*best_seconds, seconds);
  }
  return Verdict::Pass();
}

}  // namespace

std::string_view EchoThroughputKind::Description() const {
  return "Throughput under many clients, as a lenient ratio to the "
         "reference in the same run.";
}

std::vector<ParamSpec> EchoThroughputKind::Params() const {
  auto params = ServerParams();
  params.insert(params.end(),
                {{"clients", ParamType::kInt, false, "clients at once (8)"},
                 {"bytes", ParamType::kInt, false,
                  "bytes each client sends and gets back (4 MiB)"},
                 {"rounds", ParamType::kInt, false, "timed rounds (2)"},
                 {"max_ratio", ParamType::kNumber, false,
                  "how many times slower than the reference is allowed (10)"}});
  return params;
}

Status EchoThroughputKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  if (test.params.Number("max_ratio", 10) < 2) {
    return Error{
        "'max_ratio' below 2 would fail correct servers on a busy "
        "machine"};
  }
  return {};
}

Verdict EchoThroughputKind::Run(const ProbeContext& ctx) const {
  const auto& p = ctx.test.params;
  const int clients = int(p.Int("clients", 8));
  const std::size_t bytes = std::size_t(p.Int("bytes", 4 << 20));
  const int rounds = int(p.Int("rounds", 2));
  const double max_ratio = p.Number("max_ratio", 10);
  double ref_s = 0, mine_s = 0;
  Verdict v = RunAgainstReference(
      ctx, ServerArgs(p),
      [&](ServerSession& s) {
        return Burst(s, clients, bytes, rounds, &ref_s);
      },
      [&](ServerSession& s) {
        return Burst(s, clients, bytes, rounds, &mine_s);
      },
      // Its own judgement is a ratio of up to max_ratio; the deadline
      // must never cut a run short that the ratio would accept.
      DeadlinePolicy{2 * max_ratio, DeadlinePolicy{}.floor});
  if (v.outcome != Outcome::kPass) return v;
  const double ratio = mine_s / std::max(ref_s, 1e-3);
  if (ratio <= max_ratio) return Verdict::Pass();
  std::ostringstream s;
  s.precision(3);
  s << "Your server took " << mine_s << " s to echo " << clients << " x "
    << bytes << " bytes; the reference took " << ref_s << " s (" << ratio
    << " times as long; up to " << max_ratio << " is accepted).";
  return Verdict::Fail(
      Outcome::kFail, s.str(),
      {{"Common causes",
        "Reading or writing one byte per system call; a tiny buffer; "
        "sleeping or polling in the echo loop; serving clients one at a "
        "time."}});
}

}  // namespace ipclab
