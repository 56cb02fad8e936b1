#include "echo/server_run.h"

#include <regex>

#include "core/proc_tree.h"

namespace ipclab {

std::chrono::steady_clock::time_point SettleDeadline(const ServerSession& s) {
  return std::min(s.deadline,
                  std::chrono::steady_clock::now() + std::chrono::seconds(5));
}

int ParseListeningLine(const std::string& out) {
  static const std::regex line("^listening on ([0-9]{1,5})\n");
  std::smatch m;
  if (!std::regex_search(out, m, line)) return 0;
  int port = std::stoi(m[1]);
  return port > 0 && port < 65536 ? port : 0;
}

Result<ServerRun> RunServer(const std::filesystem::path& exe,
                            const std::vector<std::string>& args,
                            const std::filesystem::path& dir,
                            std::chrono::milliseconds timeout,
                            const Scenario& scenario,
                            const ServerOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ServerRun run;
  LaunchSpec spec;
  spec.argv = {exe.string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  run.command = ShellQuote(spec.argv);
  spec.cwd = dir;
  spec.timeout = timeout;
  spec.private_network = options.private_network;
  // One malloc arena: glibc otherwise maps a 64 MiB arena for each thread
  // that first mallocs while others hold the lock, at random, which made
  // the memory-growth check of echo-leaks fail correct servers now and
  // then. Leaked thread stacks (8 MiB each) are unaffected.
  spec.env = ScrubbedEnvironment();
  spec.env.push_back("MALLOC_ARENA_MAX=1");
  spec.env.insert(spec.env.end(), options.env.begin(), options.env.end());
  // A server that starts but never prints its line is stopped here, long
  // before the test's own deadline, with a message that says so.
  auto ready_limit = std::min(timeout, std::chrono::milliseconds(15000));
  if (options.ready_limit.count() > 0) {
    ready_limit = std::min(ready_limit, options.ready_limit);
  }
  spec.driver = [&](Running& running) {
    const auto start = std::chrono::steady_clock::now();
    bool line = running.WaitForStdout(
        [](const std::string& out) {
          return ParseListeningLine(out) != 0 ||
                 out.find('\n') != std::string::npos;
        },
        ready_limit);
    run.port = line ? ParseListeningLine(running.Stdout()) : 0;
    const auto ready_at = std::chrono::steady_clock::now();
    run.ready_time = ready_at - start;
    if (run.port == 0) {
      // Exited on its own, or printed something else, or nothing in time.
      if (!running.Finished()) running.Stop();
      return;
    }
    run.ready = true;
    ServerSession session;
    session.port = run.port;
    session.pid = running.MainPid();
    session.running = &running;
    session.private_network = !options.private_network.empty();
    // Leave room to stop the server before the launcher's own deadline.
    session.deadline = start + timeout - std::chrono::milliseconds(500);
    if (options.scenario_limit.count() > 0) {
      session.deadline =
          std::min(session.deadline, ready_at + options.scenario_limit);
    }
    run.verdict = scenario(session);
    run.scenario_time = std::chrono::steady_clock::now() - ready_at;
    // A server that died during the scenario may not be reaped yet; give
    // ipclab-init the moment it needs, so the death is reported as such.
    ProcInfo main = ReadProcess(session.pid);
    if (main.pid == 0 || main.state == 'Z') {
      running.WaitFinished(std::chrono::seconds(5));
    }
    run.died_during_scenario = running.Finished();
    if (!run.died_during_scenario) running.Stop();
  };
  auto result = Launch(spec);
  if (!result) return result.error();
  run.result = std::move(*result);
  return run;
}

}  // namespace ipclab
