// The driver's side of libipclab-pool-shim.so (graders/threadpool/shim),
// which the grader preloads for the thread-bound and spurious scenarios.
// The shim exports its counters under C names; the driver looks them up at
// run time, so it builds and runs without the shim too.
#ifndef IPCLAB_POOL_DRIVER_SHIM_LINK_HPP_
#define IPCLAB_POOL_DRIVER_SHIM_LINK_HPP_

namespace pool_driver {

// pthread_create calls that made a thread, since the process started; -1
// if the shim is not loaded.
long ShimThreadCreations();

// Spurious wakeups the shim has injected so far; -1 if it is not loaded.
long ShimSpuriousWakeups();

// Makes the shim call `hook` on every thread that is about to really wait
// on a condition variable, with its mutex held (nullptr: no more calls).
// False if the shim is not loaded.
bool SetShimBeforeWait(void (*hook)());

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_SHIM_LINK_HPP_
