// How long a student's run may take before it counts as a hang. A correct
// program needs about as long as the reference, which ran the same scenario
// moments earlier on the same machine, so the deadline is a generous multiple
// of the reference's measured time, never an absolute guess. The floor covers
// a loaded machine's noise on runs that take the reference only milliseconds;
// the test's `timeout` from lab.yaml stays the ceiling.
#pragma once

#include <chrono>

namespace ipclab {

struct DeadlinePolicy {
  double multiple = 10.0;                 // Of the reference's time.
  std::chrono::milliseconds floor{2000};  // Never less than this.
};

/// min(ceiling, max(floor, multiple x reference)).
std::chrono::milliseconds DeadlineFromReference(
    std::chrono::duration<double> reference, std::chrono::milliseconds ceiling,
    const DeadlinePolicy& policy = {});

}  // namespace ipclab
