#include "shim_link.hpp"

#include <dlfcn.h>

#include <atomic>

namespace pool_driver {
namespace {

long ReadShimCounter(const char* name) {
  // RTLD_DEFAULT searches every loaded object, the preloaded shim included.
  void* symbol = dlsym(RTLD_DEFAULT, name);
  if (symbol == nullptr) return -1;
  // The shim defines these as std::atomic<long>.
  return static_cast<std::atomic<long>*>(symbol)->load();
}

}  // namespace

long ShimThreadCreations() {
  return ReadShimCounter("ipclab_shim_thread_creations");
}

long ShimSpuriousWakeups() {
  return ReadShimCounter("ipclab_shim_spurious_wakeups");
}

bool SetShimBeforeWait(void (*hook)()) {
  void* symbol = dlsym(RTLD_DEFAULT, "ipclab_shim_before_wait");
  if (symbol == nullptr) return false;
  // The shim defines it as std::atomic<void (*)()>.
  static_cast<std::atomic<void (*)()>*>(symbol)->store(
      hook, std::memory_order_release);
  return true;
}

}  // namespace pool_driver
