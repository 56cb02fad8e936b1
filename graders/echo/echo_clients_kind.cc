#include "echo/echo_clients_kind.h"

#include <mutex>
#include <thread>

#include "core/text_diff.h"
#include "echo/echo_probe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

struct Plan {
  int clients = 1;
  bool sequential = false;
  std::vector<std::string> messages;  // Sent one after another per client.
  std::size_t chunk = 64 * 1024;
  bool half_close = true;
  int idle = 0;        // Connections that send nothing, held open.
  int nonreading = 0;  // Connections that send without ever reading.
};

// One client's whole conversation: each message, waiting for its echo,
// then (optionally) a half-close and the wait for EOF.
struct Transcript {
  std::string received;
  std::string problem;  // Empty when the conversation ended normally.
};

std::string Payload(const Params& p, int client) {
  if (p.Has("payload_bytes")) {
    return EchoTestBytes(p.Int("payload_bytes"), client + 1);
  }
  return p.String("payload", "hello, echo\n");
}

Transcript Converse(int port, const Plan& plan,
                    const std::vector<std::string>& messages,
                    Clock::time_point deadline) {
  Transcript t;
  auto client = TcpClient::Connect(port, deadline);
  if (!client) {
    t.problem = client.error().message;
    return t;
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const bool last = i + 1 == messages.size();
    ExchangeOptions o;
    o.chunk = plan.chunk;
    o.half_close = last && plan.half_close;
    o.await_eof = last && plan.half_close;
    ExchangeResult r = client->Exchange(messages[i], o, deadline);
    t.received += r.received;
    const bool ok = r.end == ExchangeEnd::kGotAll ||
                    (r.end == ExchangeEnd::kEof && o.await_eof);
    if (!ok) {
      t.problem = "after sending " + std::to_string(r.sent) + " of " +
                  std::to_string(messages[i].size()) + " bytes of message " +
                  std::to_string(i + 1) + ", " + Describe(r.end) +
                  (r.error.empty() ? "" : " (" + r.error + ")");
      return t;
    }
  }
  return t;
}

// Runs the plan and returns every client's transcript, in client order.
Verdict RunPlan(ServerSession& s, const Plan& plan,
                std::vector<Transcript>* out) {
  // Idle and non-reading connections first: the real clients must be served
  // while these hold their share of the server.
  std::vector<TcpClient> held;
  for (int i = 0; i < plan.idle + plan.nonreading; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return Verdict::Fail(Outcome::kFail, c.error().message);
    if (i >= plan.idle) c->SendWithoutReading(8 << 20, s.deadline);
    held.push_back(std::move(*c));
  }
  out->assign(plan.clients, {});
  auto one = [&](int i) {
    std::vector<std::string> messages = plan.messages;
    (*out)[i] = Converse(s.port, plan, messages, s.deadline);
  };
  if (plan.sequential) {
    for (int i = 0; i < plan.clients; ++i) one(i);
  } else {
    std::vector<std::thread> threads;
    for (int i = 0; i < plan.clients; ++i) threads.emplace_back(one, i);
    for (auto& t : threads) t.join();
  }
  return Verdict::Pass();
}

// Every client's transcript against the reference's, client by client.
Verdict Compare(const Plan& plan, const std::vector<Transcript>& expected,
                const std::vector<Transcript>& mine) {
  std::string sent_all;
  for (const auto& m : plan.messages) sent_all += m;
  for (int i = 0; i < plan.clients; ++i) {
    const Transcript& want = expected[i];
    const Transcript& got = mine[i];
    if (!want.problem.empty()) {
      return Verdict::Fail(Outcome::kError,
                           "The reference's client " + std::to_string(i + 1) +
                               " failed (not your fault): " + want.problem);
    }
    if (got.problem.empty() && got.received == want.received) continue;
    std::vector<Section> sections;
    sections.push_back({"What was sent", Preview(sent_all, 8)});
    if (got.received != want.received) {
      sections.push_back(
          {"Echo difference", DescribeDifference(want.received, got.received)});
    }
    std::string who = plan.clients > 1
                          ? "Client " + std::to_string(i + 1) + " of " +
                                std::to_string(plan.clients)
                          : "The client";
    std::string summary =
        !got.problem.empty()
            ? who + ": " + got.problem + "; " +
                  std::to_string(got.received.size()) + " of " +
                  std::to_string(want.received.size()) + " bytes had come back."
            : who + " got back different bytes than it sent.";
    if (plan.idle + plan.nonreading > 0 && got.received.empty()) {
      summary += " Meanwhile " + std::to_string(plan.idle + plan.nonreading) +
                 " other connection(s) were open and not being read: one "
                 "slow client must not block the others.";
    }
    Verdict fail =
        Verdict::Fail(got.problem.find("time ran out") != std::string::npos
                          ? Outcome::kTimeout
                          : Outcome::kFail,
                      summary, sections);
    return fail;
  }
  return Verdict::Pass();
}

}  // namespace

std::string_view EchoClientsKind::Description() const {
  return "Clients talk to the server; every transcript must equal the "
         "reference's.";
}

std::vector<ParamSpec> EchoClientsKind::Params() const {
  auto params = ServerParams();
  params.insert(
      params.end(),
      {
          {"clients", ParamType::kInt, false, "how many clients (default 1)"},
          {"sequential", ParamType::kBool, false,
           "one client after another instead of all at once"},
          {"payload", ParamType::kString, false, "what each client sends"},
          {"payload_bytes", ParamType::kInt, false,
           "each client sends this many bytes of binary test data"},
          {"messages", ParamType::kStringList, false,
           "several messages on one connection, each echoed before the next"},
          {"chunk", ParamType::kInt, false,
           "bytes per send() (1: one byte at a time)"},
          {"half_close", ParamType::kBool, false,
           "shutdown(SHUT_WR) at the end and expect EOF (default true)"},
          {"idle_clients", ParamType::kInt, false,
           "connections that send nothing, held open meanwhile"},
          {"nonreading_clients", ParamType::kInt, false,
           "connections that send megabytes and never read, held open"},
      });
  return params;
}

Status EchoClientsKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  const auto& p = test.params;
  int given = p.Has("payload") + p.Has("payload_bytes") + p.Has("messages");
  if (given > 1) {
    return Error{"give one of 'payload', 'payload_bytes' and 'messages'"};
  }
  if (p.Int("clients", 1) < 1 || p.Int("clients", 1) > 200) {
    return Error{"'clients' must be between 1 and 200"};
  }
  if (p.Has("chunk") && p.Int("chunk") < 1) {
    return Error{"'chunk' must be at least 1"};
  }
  return {};
}

Verdict EchoClientsKind::Run(const ProbeContext& ctx) const {
  const auto& p = ctx.test.params;
  Plan plan;
  plan.clients = int(p.Int("clients", 1));
  plan.sequential = p.Bool("sequential");
  plan.messages = p.Has("messages") ? p.StringList("messages")
                                    : std::vector<std::string>{Payload(p, 0)};
  plan.chunk = std::size_t(p.Int("chunk", 64 * 1024));
  plan.half_close = p.Bool("half_close", true);
  plan.idle = int(p.Int("idle_clients", 0));
  plan.nonreading = int(p.Int("nonreading_clients", 0));

  // The reference runs first, so the student's scenario can judge its own
  // transcripts at once; RunAgainstReference then adds what every failure
  // of a server gets (the time allowed, its stderr, how to run it).
  std::vector<Transcript> expected, mine;
  auto reference = [&](ServerSession& s) {
    return RunPlan(s, plan, &expected);
  };
  auto student = [&](ServerSession& s) {
    Verdict v = RunPlan(s, plan, &mine);
    return v.outcome == Outcome::kPass ? Compare(plan, expected, mine) : v;
  };
  return RunAgainstReference(ctx, ServerArgs(p), reference, student);
}

}  // namespace ipclab
