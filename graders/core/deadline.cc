#include "core/deadline.h"

#include <algorithm>

namespace ipclab {

std::chrono::milliseconds DeadlineFromReference(
    std::chrono::duration<double> reference, std::chrono::milliseconds ceiling,
    const DeadlinePolicy& policy) {
  const auto scaled = std::chrono::duration_cast<std::chrono::milliseconds>(
      reference * policy.multiple);
  return std::min(ceiling, std::max(policy.floor, scaled));
}

}  // namespace ipclab
