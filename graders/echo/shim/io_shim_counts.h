// What libipclab-io-shim.so counts, in a file it maps shared (the path is
// IPCLAB_IO_COUNTS), so that every process of a forking server adds to the
// same counters. The grader reads the file after the run.
#pragma once

#include <atomic>

namespace ipclab {

struct IoShimCounts {
  std::atomic<long> loaded{0};        // Processes that loaded the shim.
  std::atomic<long> short_writes{0};  // Writes cut short after a signal.
  std::atomic<long> eintrs{0};        // Calls failed with EINTR.
};

}  // namespace ipclab
