#include "pipeline/hang_diagnosis.h"

#include <map>
#include <vector>

#include "core/proc_tree.h"

namespace ipclab {
namespace {

struct End {
  pid_t pid;
  std::string who;  // "your shell (pid 12)", "`cat` (pid 14)".
  int fd;
  char mode;
};

std::string StateWord(char state) {
  switch (state) {
    case 'Z':
      return "exited, never waited for";
    case 'S':
      return "blocked";
    case 'R':
      return "running";
    case 'T':
      return "stopped";
    default:
      return std::string("state ") + state;
  }
}

using Pipes = std::map<std::string, std::vector<End>>;  // "pipe:[N]" -> ends.

// The shell and everything below it that is still there.
std::vector<ProcInfo> TreeOf(pid_t shell_pid) {
  auto table = ReadProcessTable();
  std::vector<ProcInfo> procs;
  for (const auto& p : table) {
    if (p.pid == shell_pid) procs.push_back(p);
  }
  if (procs.empty()) return procs;
  auto below = Descendants(shell_pid, table);
  procs.insert(procs.end(), below.begin(), below.end());
  return procs;
}

// One line per process and one per descriptor; pipe ends go into `pipes`.
std::string ListProcesses(const std::vector<ProcInfo>& procs, pid_t shell_pid,
                          Pipes* pipes) {
  std::string out;
  for (const auto& p : procs) {
    std::string who =
        p.pid == shell_pid
            ? "your shell (pid " + std::to_string(p.pid) + ")"
            : "`" + p.comm + "` (pid " + std::to_string(p.pid) + ")";
    std::string cmd = ReadCmdline(p.pid);
    out += "  " + who + ", " + StateWord(p.state);
    if (!cmd.empty() && p.pid != shell_pid) out += ": " + cmd;
    out += "\n";
    for (const auto& f : ReadFds(p.pid)) {
      out += "      fd " + std::to_string(f.fd) + " " + f.target + " (" +
             (f.mode == 'r'   ? "read"
              : f.mode == 'w' ? "write"
                              : "read+write") +
             ")\n";
      if (f.target.rfind("pipe:", 0) == 0) {
        (*pipes)[f.target].push_back({p.pid, who, f.fd, f.mode});
      }
    }
  }
  return out;
}

// One leaked end `e` of `pipe`: who holds it, and whom it keeps waiting.
std::string DescribeLeak(const End& e, const std::string& pipe,
                         const std::vector<End>& ends, pid_t shell_pid) {
  std::string users_text;
  for (const auto& o : ends) {
    bool user = o.pid != e.pid && o.pid != shell_pid &&
                ((e.mode == 'w' && o.fd == 0 && o.mode == 'r') ||
                 (e.mode == 'r' && o.fd == 1 && o.mode == 'w'));
    if (user) users_text += (users_text.empty() ? "" : ", ") + o.who;
  }
  const bool write_end = e.mode == 'w';
  std::string text = "  " + e.who + " still holds fd " + std::to_string(e.fd) +
                     (write_end ? ", a WRITE end of " : ", a READ end of ") +
                     pipe + ".";
  if (!users_text.empty()) {
    text += " " + users_text +
            (write_end ? " reads that pipe as standard input and only sees "
                         "end-of-file once every write end is closed, so it "
                         "waits forever."
                       : " writes to that pipe; while any read end is open "
                         "it never gets SIGPIPE, and it blocks once the pipe "
                         "is full.");
  }
  return text + "\n";
}

// A pipe end held on a descriptor other than the stage's own stdin/stdout,
// or held by the shell at all, is a leak: it keeps EOF (write end) or
// SIGPIPE (read end) from ever happening.
std::string Leaks(const Pipes& pipes, pid_t shell_pid) {
  std::string leaks;
  for (const auto& [pipe, ends] : pipes) {
    for (const auto& e : ends) {
      const bool shell = e.pid == shell_pid;
      const bool expected_use = !shell && ((e.fd == 0 && e.mode == 'r') ||
                                           (e.fd == 1 && e.mode == 'w'));
      if (expected_use || e.fd == 2) continue;
      if (shell && e.fd <= 2) continue;  // The test's own pipes.
      leaks += DescribeLeak(e, pipe, ends, shell_pid);
    }
  }
  return leaks;
}

}  // namespace

std::string ExplainHang(pid_t shell_pid) {
  if (shell_pid <= 0) return {};
  const std::vector<ProcInfo> procs = TreeOf(shell_pid);
  if (procs.empty()) return {};
  Pipes pipes;
  std::string out = "Processes still alive when the time ran out:\n" +
                    ListProcesses(procs, shell_pid, &pipes);
  const std::string leaks = Leaks(pipes, shell_pid);
  if (!leaks.empty()) {
    out += "\nPipe ends that nobody uses but somebody holds open:\n" + leaks;
    out +=
        "Close every pipe end a process does not use: in the shell after "
        "each fork, and in each child after dup2.\n";
    return out;
  }
  bool any_zombie_only = true;
  for (const auto& p : procs) {
    if (p.pid != shell_pid && p.state != 'Z') any_zombie_only = false;
  }
  if (procs.size() > 1 && any_zombie_only) {
    out +=
        "\nEvery command has finished, but your shell is still running: "
        "is it waiting for the wrong process, or reading input that "
        "never ends?\n";
  }
  return out;
}

}  // namespace ipclab
