// What the driver can see of its own process from /proc/self/task and
// getrusage: which threads exist, what each one is doing (running or
// asleep), how often each was switched out, and the CPU time used. The
// tests observe blocking and idling through these instead of guessing from
// elapsed time (docs/architecture.md, "Rules every probe follows": no
// sleeps as synchronisation, and no bound that is not a ratio).
#ifndef IPCLAB_POOL_DRIVER_OBSERVE_HPP_
#define IPCLAB_POOL_DRIVER_OBSERVE_HPP_

#include <sys/types.h>

#include <chrono>
#include <set>

namespace pool_driver {

// The calling thread's kernel thread id (what /proc/self/task lists).
pid_t CurrentTid();

// The thread ids in /proc/self/task right now.
std::set<pid_t> ThreadIds();

// How many threads the process has right now.
int ThreadCount();

// The state letter of a thread of this process ('R' running, 'S' asleep,
// 'D' uninterruptible, ...), or '?' if it no longer exists. Read from
// /proc/self/task/TID/stat after the last ')': the thread's name, in
// parentheses before it, may itself contain spaces and parentheses.
char ThreadState(pid_t tid);

inline bool IsAsleep(char state) { return state == 'S' || state == 'D'; }

// How often the kernel switched a thread out: voluntarily (it blocked or
// slept) and involuntarily (preempted). -1 each if the thread is gone.
struct ContextSwitches {
  long voluntary = -1;
  long involuntary = -1;
};
ContextSwitches ThreadContextSwitches(pid_t tid);

// Waits until thread `tid` is parked: asleep in the kernel for several
// samples in a row (1 ms apart) without waking up in between (same count
// of voluntary switches). False if that was not seen within `limit`, e.g.
// because the thread spins; callers then simply go on.
bool WaitUntilParked(pid_t tid, std::chrono::steady_clock::duration limit);

// User plus system CPU time of the whole process so far, in seconds.
double ProcessCpuSeconds();

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_OBSERVE_HPP_
