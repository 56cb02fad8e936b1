// A small program that uses your ThreadPool: it counts the prime numbers
// below 2,000,000 by splitting the range into 16 chunks, one task per chunk,
// on a pool of 4 workers.
//
// It lives in sample/ on purpose: the grader compiles every .cpp file in the
// folder above together with its own main(), and a second main() there
// would break your build. Build and run it with CMake (see ../README.md):
//
//   cmake -B build && cmake --build build && ./build/sample
//
// The counts it prints are the same whether or not your pool works, because
// the shipped schedule() runs every task itself. The last lines are the
// interesting ones: how many different threads ran the tasks, and how long
// it took.
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>
#include <vector>

#include "thread_pool.hpp"

namespace {

constexpr long kLimit = 2'000'000;
constexpr int kChunks = 16;
constexpr std::size_t kWorkers = 4;
// A small bound, so schedule() really has to wait for room now and then.
constexpr std::size_t kQueueCapacity = 4;

bool IsPrime(long n) {
  if (n < 2) return false;
  for (long d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

// What one task found out. Each task writes only its own element of a
// vector, so the tasks never write to the same memory and need no lock.
struct ChunkResult {
  long begin = 0;
  long end = 0;
  long primes = 0;
  std::thread::id ran_on;
};

}  // namespace

int main() {
  std::vector<ChunkResult> results(kChunks);
  const auto start = std::chrono::steady_clock::now();
  {
    ThreadPool pool(kWorkers, kQueueCapacity);
    for (int i = 0; i < kChunks; ++i) {
      // Capture by reference only what outlives the task (results); capture
      // the loop variable by value: by the time a task runs, `i` has moved
      // on.
      pool.schedule([&results, i] {
        ChunkResult& result = results[i];
        result.begin = kLimit / kChunks * i;
        result.end = kLimit / kChunks * (i + 1);
        for (long n = result.begin; n < result.end; ++n) {
          if (IsPrime(n)) ++result.primes;
        }
        result.ran_on = std::this_thread::get_id();
      });
    }
    // Reading the results is only safe once every task has finished.
    pool.wait();
  }  // The destructor joins the workers here.
  const auto elapsed = std::chrono::steady_clock::now() - start;

  long total = 0;
  std::set<std::thread::id> threads;
  for (int i = 0; i < kChunks; ++i) {
    const ChunkResult& result = results[i];
    std::printf("chunk %2d: [%7ld, %7ld) has %5ld primes\n", i, result.begin,
                result.end, result.primes);
    total += result.primes;
    threads.insert(result.ran_on);
  }
  std::printf("total: %ld primes below %ld (expected 148933)\n", total, kLimit);

  std::printf("the tasks ran on %zu different thread(s); the pool has %zu\n",
              threads.size(), kWorkers);
  if (threads.count(std::this_thread::get_id()) != 0) {
    std::printf(
        "some tasks ran on the main thread: schedule() still runs tasks "
        "itself\n(see the TODO(student) blocks in thread_pool.cpp)\n");
  }
  const long long ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  std::printf("time: %lld ms (set kWorkers to 1 to compare)\n", ms);
  return total == 148933 ? 0 : 1;
}
