// What the grader can see of a running server from /proc: threads, open
// descriptors, children and their states, memory, CPU time, and the
// kernel's accept queue of its listening port. Resources, not durations.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/proc_tree.h"

namespace ipclab {

struct ServerState {
  int threads = 0;
  int fds = 0;
  int sockets = 0;  // Open socket fds (the listening one included).
  long vm_size_kb = 0;
  long vm_rss_kb = 0;
  int zombies = 0;   // Direct children in state Z.
  int children = 0;  // Direct children still running.
  // Every other process of the test (the tree under ipclab-init), so a
  // grandchild or a child that became a server of its own counts too.
  // Orphans are counted apart: processes whose parent (a child of the
  // server, say) exited first, so ipclab-init, the test's subreaper, adopted
  // them. They were never the server's children, and ipclab-init does not
  // reap them while the server runs, so an orphan that ended stays a zombie.
  int tree_zombies = 0;  // Ended, not waited for, parent still running.
  int tree_live = 0;     // Running, parent still running.
  int orphan_zombies = 0;
  int orphans_live = 0;
};

/// A snapshot; all zero when the process is gone.
ServerState Observe(pid_t pid);

/// Every process of the test but the server itself: the tree under the
/// server's parent (ipclab-init, a subreaper), so a grandchild or an orphan
/// counts as well as a child. Empty if the server is gone.
std::vector<ProcInfo> TestProcesses(pid_t server,
                                    const std::vector<ProcInfo>& table);

/// Connections waiting in the kernel's accept queue of the LISTEN socket
/// on 127.0.0.1:port (rx_queue in /proc/net/tcp); -1 if not listening.
int AcceptQueueLength(int port);

/// The inode of the LISTEN socket on 127.0.0.1:port ("socket:[INODE]" in
/// /proc/PID/fd), or 0 if none.
unsigned long ListeningSocketInode(int port);

/// Times the threads of a process went to sleep and were woken
/// (voluntary context switches, summed over /proc/PID/task/*/status).
long long Wakeups(pid_t pid);

/// Whether every thread of a process is asleep (state S in
/// /proc/PID/task/TID/stat): blocked in accept(), a condition variable or a
/// read, not running or runnable. False if the process is gone.
bool AllThreadsAsleep(pid_t pid);

/// CPU time (utime+stime, clock ticks) of a process and its threads.
long long CpuTicks(pid_t pid);

/// Clock ticks per second, for turning CpuTicks into seconds.
long TicksPerSecond();

}  // namespace ipclab
