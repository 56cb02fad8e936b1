#include "echo/echo_abuse_kind.h"

#include "echo/close_wait_reset.h"
#include "echo/echo_probe.h"
#include "echo/netns_client.h"
#include "echo/tcp_client.h"

namespace ipclab {
namespace {

constexpr const char* kHalfCloseReset = "half-close-reset";

// A well-behaved client after the bad ones: the server must still serve.
Verdict StillServes(ServerSession& s, const std::string& what, int times) {
  auto c = ConnectTo(s);
  if (!c) {
    return Verdict::Fail(Outcome::kFail,
                         "After the bad clients, a new client could not "
                         "connect: " +
                             c.error().message);
  }
  auto r = c->Exchange("still there?\n", ExchangeOptions{}, s.deadline);
  if (r.received == "still there?\n" && r.end == ExchangeEnd::kEof) {
    return Verdict::Pass();
  }
  return Verdict::Fail(
      Outcome::kFail,
      "After " + std::to_string(times) + " clients that " + what +
          ", a well-behaved client was not served (" + Describe(r.end) + ", " +
          std::to_string(r.received.size()) + " of 13 bytes back).",
      {{"What to check",
        "When send() or recv() fails with EPIPE or ECONNRESET, close that "
        "connection and free its worker (thread, child or pool slot); "
        "never exit the server or leave the worker stuck."}});
}

// Clients that half-close, then reset while the server is still echoing
// (see close_wait_reset.h). `sprung` counts the resets that found the
// server's socket in CLOSE_WAIT with echoing left to do; a client that finds
// the server done echoing already (it was slow to read, not blocked) is
// followed by another, up to 3 per reset wanted.
Verdict HalfCloseResetScenario(ServerSession& s, int times, int* sprung) {
  for (int i = 0; i < 3 * times && *sprung < times && !ServerGone(s); ++i) {
    auto r = ResetInCloseWait(s);
    if (!r && !ServerGone(s)) {
      // The reference always gets there, so this is the server's doing
      // (for the reference, RunAgainstReference makes it the grader's).
      return Verdict::Fail(Outcome::kFail,
                           "A client that sends without reading the echo "
                           "could not get its data to the server: " +
                               r.error().message + ".");
    }
    if (r && *r) ++*sprung;
  }
  if (ServerGone(s)) {
    return Verdict::Fail(
        Outcome::kFail,
        "A client sent data without reading the echo, half-closed its side "
        "(shutdown(SHUT_WR)), and reset the connection while the server was "
        "still echoing. Once the client's FIN has arrived (the server's "
        "socket is in CLOSE_WAIT), the kernel fails the next write with "
        "EPIPE and raises SIGPIPE at once, even for the first write that "
        "fails.");
  }
  return StillServes(s, "half-closed and then reset their connection", times);
}

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
  return StillServes(s,
                     abuse == "reset" ? "reset their connection mid-echo"
                                      : "disconnected mid-echo",
                     times);
}

// The probe needs a network of its own (small socket buffers); where one
// cannot be made the test is not run, and says why.
Verdict RunHalfCloseReset(const ProbeContext& ctx, int times) {
  if (Status usable = PrivateNetworkUsable(); !usable.ok()) {
    return Verdict::Fail(Outcome::kSkipped,
                         "Not run: this test needs a private network "
                         "namespace, and the grader " +
                             usable.error().message + ".");
  }
  int ref_sprung = 0, mine_sprung = 0;
  Verdict v = RunAgainstReference(
      ctx, ServerArgs(ctx.test.params),
      [&](ServerSession& s) {
        Verdict r = HalfCloseResetScenario(s, times, &ref_sprung);
        if (r.outcome == Outcome::kPass && ref_sprung == 0) {
          return Verdict::Fail(Outcome::kError,
                               "no reset found the server still echoing");
        }
        return r;
      },
      [&](ServerSession& s) {
        return HalfCloseResetScenario(s, times, &mine_sprung);
      },
      DeadlinePolicy{}, kSmallTcpBuffers);
  return v;
}

}  // namespace

std::string_view EchoAbuseKind::Description() const {
  return "Clients that reset or vanish mid-echo do not take the server down.";
}

std::vector<ParamSpec> EchoAbuseKind::Params() const {
  auto params = ServerParams();
  params.push_back({"abuse", ParamType::kString, true,
                    "'reset' (RST mid-echo), 'disconnect' (close with "
                    "unread data) or 'half-close-reset' (RST after the "
                    "client's FIN, while the server still echoes)"});
  params.push_back({"times", ParamType::kInt, false,
                    "how many bad clients, one after another (default 3; 1 for "
                    "half-close-reset)"});
  return params;
}

Status EchoAbuseKind::Validate(const TestSpec& test) const {
  if (Status s = ValidateServerParams(test); !s.ok()) return s;
  const std::string abuse = test.params.String("abuse");
  if (abuse != "reset" && abuse != "disconnect" && abuse != kHalfCloseReset) {
    return Error{"'abuse' must be 'reset', 'disconnect' or '" +
                 std::string(kHalfCloseReset) + "', not '" + abuse + "'"};
  }
  return {};
}

Verdict EchoAbuseKind::Run(const ProbeContext& ctx) const {
  const std::string abuse = ctx.test.params.String("abuse");
  // One reset in CLOSE_WAIT is enough to catch the bug; each takes about a
  // second to set up (tiny windows, delayed acknowledgements).
  const bool half_close = abuse == kHalfCloseReset;
  const int times = int(ctx.test.params.Int("times", half_close ? 1 : 3));
  if (half_close) return RunHalfCloseReset(ctx, times);
  Scenario scenario = [&](ServerSession& s) {
    return AbuseScenario(s, abuse, times);
  };
  return RunAgainstReference(ctx, ServerArgs(ctx.test.params), scenario,
                             scenario);
}

}  // namespace ipclab
