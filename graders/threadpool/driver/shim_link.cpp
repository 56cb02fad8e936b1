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

}  // namespace pool_driver
