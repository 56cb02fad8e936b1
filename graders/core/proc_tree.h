// Reading the process table from /proc. This kernel has no
// /proc/PID/task/TID/children, so trees are rebuilt from every /proc/PID/stat.
// Used by ipclab-init to sweep a test's tree, and by probes to explain a hang
// (who holds which pipe end).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ipclab {

struct ProcInfo {
  pid_t pid = 0;
  pid_t ppid = 0;
  char state = '?';  // R, S, D, Z, T, ...
  std::string comm;  // Short name from /proc/PID/stat.
};

/// One open descriptor of a process.
struct FdInfo {
  int fd = -1;
  std::string target;  // readlink of /proc/PID/fd/N: "pipe:[123]", a path.
  char mode = '?';     // 'r', 'w' or 'b' (both), from fdinfo flags.
};

/// Every process visible in /proc. Processes that vanish while reading are
/// skipped: the table is a snapshot of a moving system.
std::vector<ProcInfo> ReadProcessTable();

/// Info for one pid, or nullopt-like (pid 0) when it is gone.
ProcInfo ReadProcess(pid_t pid);

/// All descendants of `root` (not root itself), parents before children.
std::vector<ProcInfo> Descendants(pid_t root,
                                  const std::vector<ProcInfo>& table);

/// Open fds of a process (empty when it is gone or not ours to read).
std::vector<FdInfo> ReadFds(pid_t pid);

/// The argv of a process joined by spaces ("" for zombies and kernel threads).
std::string ReadCmdline(pid_t pid);

/// utime+stime of a process in clock ticks (-1 when gone).
long long ReadCpuTicks(pid_t pid);

}  // namespace ipclab
