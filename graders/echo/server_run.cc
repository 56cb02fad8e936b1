#include "echo/server_run.h"

#include <regex>
#include <thread>

#include "core/proc_tree.h"
#include "core/shell_quote.h"
#include "echo/observe.h"

namespace ipclab {

std::chrono::steady_clock::time_point SettleDeadline(const ServerSession& s) {
  return std::min(s.deadline,
                  std::chrono::steady_clock::now() + std::chrono::seconds(5));
}

namespace {

// Before the first client connects, waits (up to 2 s) until every thread of
// the server is asleep: its workers have reached their wait for work. A
// server that printed its line before its workers started would otherwise
// race them: a worker that arrives late finds connections already queued
// and never needs a wake-up, so a pool that forgets to notify could pass by
// luck on a busy machine. Nothing is judged here; a server that never goes
// to sleep (a spinning worker) is simply tested as it is after the wait.
constexpr std::chrono::seconds kSettleLimit{2};

void LetServerSettle(pid_t pid) {
  const auto until = std::chrono::steady_clock::now() + kSettleLimit;
  while (!AllThreadsAsleep(pid) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

int ParseListeningLine(const std::string& out) {
  static const std::regex line("^listening on ([0-9]{1,5})\n");
  std::smatch m;
  if (!std::regex_search(out, m, line)) return 0;
  int port = std::stoi(m[1]);
  return port > 0 && port < 65536 ? port : 0;
}

namespace {

// The launch of the server, without its driver.
LaunchSpec ServerLaunchSpec(const std::filesystem::path& exe,
                            const std::vector<std::string>& args,
                            const std::filesystem::path& dir,
                            std::chrono::milliseconds timeout,
                            const ServerOptions& options) {
  LaunchSpec spec;
  spec.argv = {exe.string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = dir;
  // The settling wait is not the server's time: it does not count against
  // the run's timeout.
  spec.timeout = timeout + kSettleLimit;
  spec.private_network = options.private_network;
  // One malloc arena: glibc otherwise maps a 64 MiB arena for each thread
  // that first mallocs while others hold the lock, at random, which made
  // the memory-growth check of echo-leaks fail correct servers now and
  // then. Leaked thread stacks (8 MiB each) are unaffected.
  spec.env = ScrubbedEnvironment();
  spec.env.push_back("MALLOC_ARENA_MAX=1");
  spec.env.insert(spec.env.end(), options.env.begin(), options.env.end());
  return spec;
}

// A server that starts but never prints its line is stopped after this,
// long before the test's own deadline, with a message that says so.
std::chrono::milliseconds ReadyLimit(std::chrono::milliseconds timeout,
                                     const ServerOptions& options) {
  auto ready_limit = std::min(timeout, std::chrono::milliseconds(15000));
  if (options.ready_limit.count() > 0) {
    ready_limit = std::min(ready_limit, options.ready_limit);
  }
  return ready_limit;
}

// Waits for "listening on PORT"; records the port (0 when none) and how
// long it took. A server that exited, printed something else or nothing in
// time is stopped.
bool AwaitListeningLine(Running& running, std::chrono::milliseconds limit,
                        ServerRun& run) {
  const auto start = std::chrono::steady_clock::now();
  bool line = running.WaitForStdout(
      [](const std::string& out) {
        return ParseListeningLine(out) != 0 ||
               out.find('\n') != std::string::npos;
      },
      limit);
  run.port = line ? ParseListeningLine(running.Stdout()) : 0;
  run.ready_time = std::chrono::steady_clock::now() - start;
  if (run.port == 0) {
    if (!running.Finished()) running.Stop();
    return false;
  }
  run.ready = true;
  return true;
}

// The session the scenario sees. Its deadline counts from the server's
// start, minus the settling wait, which is not the server's time.
ServerSession MakeSession(Running& running, const ServerRun& run,
                          std::chrono::steady_clock::time_point start,
                          std::chrono::steady_clock::time_point ready_at,
                          std::chrono::steady_clock::duration settled,
                          std::chrono::milliseconds timeout,
                          const ServerOptions& options) {
  ServerSession session;
  session.port = run.port;
  session.pid = running.MainPid();
  session.running = &running;
  session.private_network = !options.private_network.empty();
  // Leave room to stop the server before the launcher's own deadline.
  session.deadline = start + settled + timeout - std::chrono::milliseconds(500);
  if (options.scenario_limit.count() > 0) {
    session.deadline =
        std::min(session.deadline, ready_at + options.scenario_limit);
  }
  return session;
}

// After the scenario: notes whether the server died during it, and stops
// it if not.
void EndServer(Running& running, pid_t pid, ServerRun& run) {
  // A server that died during the scenario may not be reaped yet; give
  // ipclab-init the moment it needs, so the death is reported as such.
  ProcInfo main = ReadProcess(pid);
  if (main.pid == 0 || main.state == 'Z') {
    running.WaitFinished(std::chrono::seconds(5));
  }
  run.died_during_scenario = running.Finished();
  if (!run.died_during_scenario) running.Stop();
}

}  // namespace

Result<ServerRun> RunServer(const std::filesystem::path& exe,
                            const std::vector<std::string>& args,
                            const std::filesystem::path& dir,
                            std::chrono::milliseconds timeout,
                            const Scenario& scenario,
                            const ServerOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ServerRun run;
  LaunchSpec spec = ServerLaunchSpec(exe, args, dir, timeout, options);
  run.command = ShellQuote(spec.argv);
  const auto ready_limit = ReadyLimit(timeout, options);
  spec.driver = [&](Running& running) {
    const auto start = std::chrono::steady_clock::now();
    if (!AwaitListeningLine(running, ready_limit, run)) return;
    const auto settle_from = std::chrono::steady_clock::now();
    LetServerSettle(running.MainPid());
    const auto ready_at = std::chrono::steady_clock::now();
    ServerSession session =
        MakeSession(running, run, start, ready_at, ready_at - settle_from,
                    timeout, options);
    run.verdict = scenario(session);
    run.scenario_time = std::chrono::steady_clock::now() - ready_at;
    EndServer(running, session.pid, run);
  };
  auto result = Launch(spec);
  if (!result) return result.error();
  run.result = std::move(*result);
  return run;
}

}  // namespace ipclab
