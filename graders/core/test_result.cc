#include "test_result.h"

namespace ipclab {

bool RunSummary::AllPassed() const {
  for (const auto& r : results) {
    if (Info(r.outcome).is_failure) return false;
  }
  return true;
}

}  // namespace ipclab
