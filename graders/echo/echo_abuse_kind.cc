#include "echo/echo_abuse_kind.h"

#include "echo/echo_probe.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

Verdict AbuseScenario(ServerSession& s, const std::string& abuse, int times) {
  for (int i = 0; i < times; ++i) {
    auto c = TcpClient::Connect(s.port, s.deadline);
    if (!c) return Verdict::Fail(Outcome::kFail, c.error().message);
    // Fill both directions: the server is in the middle of echoing when the
    // client goes away.
    c->SendWithoutReading(4 << 20, s.deadline);
    if (abuse == "reset") {
      c->Reset();  // RST: the server's next read or write fails.
    } else {
      c->Close();  // Unread data: the kernel answers with RST too.
    }
  }
  if (s.running->Finished()) return Verdict::Pass();  // Reported as death.
  auto c = TcpClient::Connect(s.port, s.deadline);
  if (!c) {
    return Verdict::Fail(Outcome::kFail,
                         "After the bad clients, a new client could not "
                         "connect: " +
                             c.error().message);
  }
  auto r = c->Exchange("still there?\n", ExchangeOptions{}, s.deadline);
  if (r.received != "still there?\n" || r.end != ExchangeEnd::kEof) {
    return Verdict::Fail(
        Outcome::kFail,
        "After " + std::to_string(times) + " clients that " +
            (abuse == "reset" ? "reset their connection" : "disconnected") +
            " mid-echo, a well-behaved client was not served (" +
            Describe(r.end) + ", " + std::to_string(r.received.size()) +
            " of 13 bytes back).",
        {{"What to check",
          "When send() or recv() fails with EPIPE or ECONNRESET, close that "
          "connection and free its worker (thread, child or pool slot); "
          "never exit the server or leave the worker stuck."}});
  }
  return Verdict::Pass();
}

}  // namespace

std::string_view EchoAbuseKind::Description() const {
  return "Clients that reset or vanish mid-echo do not take the server down.";
}

std::vector<ParamSpec> EchoAbuseKind::Params() const {
  auto params = ServerParams();
  params.push_back({"abuse", ParamType::kString, true,
                    "'reset' (RST mid-echo) or 'disconnect' (close with "
                    "unread data)"});
  params.push_back({"times", ParamType::kInt, false,
                    "how many bad clients, one after another (default 3)"});
  return params;
}

Status EchoAbuseKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  const std::string abuse = test.params.String("abuse");
  if (abuse != "reset" && abuse != "disconnect") {
    return Error{"'abuse' must be 'reset' or 'disconnect', not '" + abuse +
                 "'"};
  }
  return {};
}

Verdict EchoAbuseKind::Run(const ProbeContext& ctx) const {
  const std::string abuse = ctx.test.params.String("abuse");
  const int times = int(ctx.test.params.Int("times", 3));
  Scenario scenario = [&](ServerSession& s) {
    return AbuseScenario(s, abuse, times);
  };
  return RunAgainstReference(ctx, ServerArgs(ctx.test.params), scenario,
                             scenario);
}

}  // namespace ipclab
