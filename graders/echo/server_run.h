// Running a server (the student's or the reference) for one scenario: start
// it, wait for its readiness line "listening on PORT", let the scenario talk
// to it, then stop it and its whole process tree.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/launcher.h"
#include "core/test_result.h"

namespace ipclab {

/// What a scenario gets while the server runs.
struct ServerSession {
  int port = 0;
  pid_t pid = 0;  // The server's main process.
  Running* running = nullptr;
  std::chrono::steady_clock::time_point deadline;  // For the whole scenario.
  /// The server runs in a network namespace of its own: clients must
  /// connect from inside it (ConnectTo in echo/netns_client.h).
  bool private_network = false;
};

/// A scenario returns a Verdict about what it saw.
using Scenario = std::function<Verdict(ServerSession&)>;

/// Optional limits and environment for one run. A limit of 0 means "up to
/// the run's timeout".
struct ServerOptions {
  std::vector<std::string> env;  // Added to the scrubbed environment.
  std::chrono::milliseconds ready_limit{0};     // For "listening on PORT".
  std::chrono::milliseconds scenario_limit{0};  // For the whole scenario.
  /// Non-empty: run in a private network namespace with these
  /// tcp_wmem/tcp_rmem (LaunchSpec::private_network).
  std::string private_network;
};

struct ServerRun {
  LaunchResult result;
  // Measured, so that the student's limits can follow the reference's.
  std::chrono::duration<double> ready_time{0};
  std::chrono::duration<double> scenario_time{0};
  bool ready = false;  // Printed "listening on PORT" in time.
  int port = 0;
  Verdict verdict;  // The scenario's, or why it could not run.
  bool died_during_scenario = false;
  std::string command;  // How to start it by hand.
};

/// Starts `exe args...` in `dir`; `options.ready_limit` bounds the wait
/// for the readiness line (at most 15 s), `options.scenario_limit` the
/// scenario, and `timeout` the whole run (a wait of up to 2 s for the
/// server to settle after its line is not counted). The scenario runs only if
/// the server became ready.
Result<ServerRun> RunServer(const std::filesystem::path& exe,
                            const std::vector<std::string>& args,
                            const std::filesystem::path& dir,
                            std::chrono::milliseconds timeout,
                            const Scenario& scenario,
                            const ServerOptions& options = {});

/// How long to watch for something a correct server does at once (reap a
/// child, end a thread): generous, yet shorter than the whole scenario, so a
/// broken server fails in seconds rather than at the test's deadline.
std::chrono::steady_clock::time_point SettleDeadline(const ServerSession& s);

/// Parses "listening on PORT\n" at the start of `out`; 0 if absent.
int ParseListeningLine(const std::string& out);

}  // namespace ipclab
