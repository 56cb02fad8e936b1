// Every scenario of pool-driver, by theme. A scenario returns if the pool
// passed and ends the process through FailNow (report.hpp) as soon as it has
// a positive witness of a bug or a call is stuck past its deadline.
#ifndef IPCLAB_POOL_DRIVER_SCENARIOS_HPP_
#define IPCLAB_POOL_DRIVER_SCENARIOS_HPP_

#include <cstddef>

namespace pool_driver {

// scenarios_correctness.cpp: every task runs exactly once.
void ExactlyOnce();
void ManyProducers();
void ScheduleFromTask();
void Exceptions();
void ZeroThreads();

// scenarios_fifo.cpp: tasks start in the order they were scheduled.
void Fifo();

// scenarios_blocking.cpp: schedule() and the destructor block exactly
// when the contract says.
void BoundedQueue();
void UnboundedQueue();
void DestructorDrains();

// scenarios_wait.cpp: wait() returns exactly when it should.
void WaitNotEarly();
void WaitIdle();
void WaitConcurrent();

// scenarios_lost_wakeup.cpp: wait() is woken even when the last task
// finishes just as it goes to sleep (needs the shim).
void WaitLostWakeup();

// scenarios_resources.cpp: threads, parallelism, CPU, speed.
void Parallelism();
void ThreadBound();
void IdleNoSpin();
void Throughput();

// scenarios_stress.cpp: runs under fault injection and sanitizers.
void Spurious();
void SpuriousBounded();
void SanitizerWorkload();

// Workloads that Spurious reruns with injected wakeups.
void ExactlyOnceRun(std::size_t tasks, std::size_t threads);
void FifoOneWorker(int tasks);

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_SCENARIOS_HPP_
