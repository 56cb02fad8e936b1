#include "timing.hpp"

#include <cstdlib>

namespace pool_driver {

int DeadlineSeconds() {
  // Read once: every thread sees the same value for the whole run.
  static const int seconds = [] {
    const char* text = std::getenv("IPCLAB_DEADLINE_SECONDS");
    int value = text != nullptr ? std::atoi(text) : 0;
    return value > 0 ? value : 10;
  }();
  return seconds;
}

}  // namespace pool_driver
