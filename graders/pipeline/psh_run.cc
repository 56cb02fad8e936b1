#include "pipeline/psh_run.h"

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <thread>

#include "core/proc_tree.h"
#include "core/shell_quote.h"
#include "pipeline/hang_diagnosis.h"

namespace ipclab {
namespace {

// Waits until the stage named `comm` has run and ended. The stage marks
// that it ran by creating `marker` (ipclab-exit does, see its source): a
// shell may reap it within microseconds, too fast to ever be seen in /proc,
// so /proc only tells when the marked process is gone. Every wait ends when
// the run does (Running::Finished turns true when the tree is killed).
void WaitForExitOf(Running& running, const std::string& comm,
                   const std::filesystem::path& marker) {
  std::error_code ec;
  while (!running.Finished() && !std::filesystem::exists(marker, ec)) {
    // Observation, not synchronisation: nothing proceeds on time alone.
    running.WaitFinished(std::chrono::milliseconds(2));
  }
  while (!running.Finished()) {
    pid_t main = running.MainPid();
    bool alive = false;
    if (main != 0) {
      for (const auto& p : Descendants(main, ReadProcessTable())) {
        if (p.comm == comm && p.state != 'Z') alive = true;
      }
    }
    if (!alive) return;
    running.WaitFinished(std::chrono::milliseconds(2));
  }
}

}  // namespace

std::string TestBytes(std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(i % 512 < 256 ? i % 256 : x & 0xff);
  }
  return out;
}

Result<PshRun> RunPsh(const std::filesystem::path& psh,
                      const std::filesystem::path& dir,
                      const std::filesystem::path& helpers,
                      const PshInvocation& inv) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + dir.string() + ": " + ec.message()};

  PshRun run;
  run.dir = dir;
  LaunchSpec spec;
  spec.cwd = dir;
  spec.timeout = inv.timeout;
  spec.env = ScrubbedEnvironment();
  spec.env[0] = "PATH=" + helpers.string() + ":/usr/local/bin:/usr/bin:/bin";
  // The script lives beside the run directory, so `ls` in the script sees
  // only what the script itself made.
  const fs::path script = dir.string() + ".psh";
  if (inv.script_via_stdin) {
    spec.argv = {psh.string()};
    spec.stdin_bytes = inv.script;
    run.command = "cd " + ShellQuote({dir.string()}) + " && " +
                  ShellQuote({psh.string()}) + " < " +
                  ShellQuote({script.string()});
  } else {
    spec.argv = {psh.string(), script.string()};
    run.command =
        "cd " + ShellQuote({dir.string()}) + " && " + ShellQuote(spec.argv);
    if (!inv.hold_stdin_until_exit_of.empty()) {
      const std::string data = inv.stdin_data;
      const std::string comm = inv.hold_stdin_until_exit_of;
      const fs::path marker = dir.string() + ".exit-marker";
      spec.env.push_back("IPCLAB_EXIT_MARKER=" + marker.string());
      spec.driver = [data, comm, marker](Running& running) {
        (void)running.Write(data);
        WaitForExitOf(running, comm, marker);
        running.CloseStdin();
        running.WaitFinished(std::chrono::hours(1));
      };
    } else {
      spec.stdin_bytes = inv.stdin_data;
    }
  }
  {
    std::ofstream out(script, std::ios::binary);
    out << inv.script;
    if (!out) return Error{"cannot write " + script.string()};
  }
  // The input beside the script, so --keep keeps everything a rerun by hand
  // needs (binary and long inputs cannot be pasted from the report).
  if (!inv.script_via_stdin && !inv.stdin_data.empty()) {
    const fs::path input = dir.string() + ".input";
    std::ofstream out(input, std::ios::binary);
    out << inv.stdin_data;
    if (!out) return Error{"cannot write " + input.string()};
  }
  auto report = std::make_shared<std::string>();
  spec.before_kill = [report](pid_t main) { *report = ExplainHang(main); };

  // The umask is inherited through fork and exec. It is process-wide, but
  // every psh run sets the same value, so runs in parallel agree on it.
  ::umask(kPshUmask);
  auto result = Launch(spec);
  if (!result) return result.error();
  run.result = std::move(*result);
  run.hang_report = *report;
  return run;
}

}  // namespace ipclab
