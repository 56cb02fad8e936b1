// libipclab-pool-shim.so: an LD_PRELOAD shim for the threadpool lab's
// scenario program (graders/threadpool/driver). It sits between the program
// (student pool and libstdc++ alike) and glibc, and adds only behaviour
// POSIX already allows, so a correct pool cannot tell it from a real system:
//
//  * pthread_create is counted in `ipclab_shim_thread_creations`, which the
//    driver reads with dlsym(RTLD_DEFAULT, ...) to check the thread bound.
//    std::thread goes through pthread_create, so every thread is seen.
//
//  * pthread_cond_wait / _timedwait / _clockwait: with IPCLAB_SPURIOUS=N
//    (N >= 2), a thread's 1st, (N+1)th, (2N+1)th, ... wait on each condition
//    variable returns 0 at once, without waiting and without releasing the
//    mutex: a spurious wakeup. A pool that waits in `if` instead of `while`
//    then acts on a condition that does not hold, every run instead of once
//    in a blue moon. The injections are counted in
//    `ipclab_shim_spurious_wakeups`. Without the variable every call is
//    forwarded unchanged.
//
//  * ipclab_shim_before_wait: if the driver stores a function there, every
//    pthread_cond_wait / _timedwait / _clockwait that is about to really
//    wait calls it first, on the waiting thread, with the mutex still
//    held. That is a moment at which any thread may be preempted for as
//    long as the scheduler likes; the driver uses it to let other threads
//    run right then (scenario wait-lost-wakeup). A pool that changes its
//    state and notifies under the mutex cannot tell; one that does so
//    without the mutex loses that wakeup every time instead of rarely.
//
// Only pthread_cond_* and pthread_create are interposed; libstdc++'s
// std::condition_variable calls exactly these (checked on Debian 12).
#include <dlfcn.h>
#include <pthread.h>
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

// The counters are exported with C names so that the driver can find them
// with dlsym. std::atomic<long> has the size and layout of a long.
extern "C" {
__attribute__((visibility("default"))) std::atomic<long>
    ipclab_shim_thread_creations{0};
__attribute__((visibility("default"))) std::atomic<long>
    ipclab_shim_spurious_wakeups{0};
__attribute__((visibility("default"))) std::atomic<void (*)()>
    ipclab_shim_before_wait{nullptr};
}

namespace {

using CreateFn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*),
                         void*);
using CondWaitFn = int (*)(pthread_cond_t*, pthread_mutex_t*);
using CondTimedWaitFn = int (*)(pthread_cond_t*, pthread_mutex_t*,
                                const timespec*);
using CondClockWaitFn = int (*)(pthread_cond_t*, pthread_mutex_t*, clockid_t,
                                const timespec*);

// Finds the next definition of `name` after this library: glibc's, or a
// sanitizer runtime's interceptor if one sits between us and glibc.
//
// glibc keeps an old pthread_cond_* ABI (GLIBC_2.2.5) next to the current
// one (GLIBC_2.3.2), with a different pthread_cond_t layout, so glibc's
// function is asked for by version. But dlvsym matches versions exactly
// and would skip an unversioned interceptor in between (libtsan's), which
// then never sees the wait and reports false "double lock"s. So: take the
// unversioned next definition if it lives in another object than glibc's
// versioned one, else the versioned one.
void* FindReal(const char* name, const char* version) {
  void* next = dlsym(RTLD_NEXT, name);
  void* versioned =
      version != nullptr ? dlvsym(RTLD_NEXT, name, version) : nullptr;
  void* real = versioned != nullptr ? versioned : next;
  if (next != nullptr && versioned != nullptr && next != versioned) {
    Dl_info next_object{};
    Dl_info glibc_object{};
    if (dladdr(next, &next_object) != 0 &&
        dladdr(versioned, &glibc_object) != 0 &&
        next_object.dli_fbase != glibc_object.dli_fbase) {
      real = next;
    }
  }
  if (real == nullptr) {
    // Without the real function nothing can work; say so instead of
    // crashing somewhere obscure.
    std::fprintf(stderr, "ipclab-pool-shim: cannot find %s\n", name);
    std::abort();
  }
  return real;
}

// Resolving can race between threads, but every thread finds the same
// pointer, so whoever stores last stores the same value.
template <typename Fn>
Fn Real(std::atomic<Fn>& cache, const char* name, const char* version) {
  Fn fn = cache.load(std::memory_order_acquire);
  if (fn == nullptr) {
    fn = reinterpret_cast<Fn>(FindReal(name, version));
    cache.store(fn, std::memory_order_release);
  }
  return fn;
}

std::atomic<CreateFn> real_create{nullptr};
std::atomic<CondWaitFn> real_wait{nullptr};
std::atomic<CondTimedWaitFn> real_timedwait{nullptr};
std::atomic<CondClockWaitFn> real_clockwait{nullptr};

constexpr long kUnread = -1;
std::atomic<long> spurious_period{kUnread};

// 0 when injection is off. Read lazily because a wait may happen before
// this library's constructors would run.
long SpuriousPeriod() {
  long period = spurious_period.load(std::memory_order_relaxed);
  if (period != kUnread) return period;
  period = 0;
  if (const char* text = std::getenv("IPCLAB_SPURIOUS")) {
    period = std::strtol(text, nullptr, 10);
    // N = 1 would make *every* wait return at once. A waiter that never
    // releases its mutex lets nobody change its condition, so even a
    // correct pool would loop forever; 2 is the most we can inject.
    if (period == 1) period = 2;
    if (period < 0) period = 0;
  }
  spurious_period.store(period, std::memory_order_relaxed);
  return period;
}

// Waits are counted per thread *and* condition variable, and the first
// wait of each pair is spurious, then every Nth after it:
//
//  * The first one, because the classic `if` bug shows at a worker's very
//    first wait, on an empty queue, whatever the workload.
//  * Per condition variable, because a thread's waits elsewhere (e.g. on
//    the driver's gates, inside a task) must not shift which of its waits
//    for the pool's condition are hit.
//  * Per thread, not globally, so each thread gets at most one spurious
//    return in a row on any condition variable: a correct waiter then
//    always reaches a real wait and releases the mutex, however the
//    threads are scheduled.
//
// A thread waits on very few condition variables at a time, so a few slots
// do; a slot taken over by another condition variable starts counting anew.
struct CondWaits {
  const pthread_cond_t* cond;
  unsigned long waits;
};
constexpr unsigned kTrackedConds = 8;
thread_local CondWaits tracked[kTrackedConds];
thread_local unsigned next_slot;

unsigned long CountWait(const pthread_cond_t* cond) {
  for (CondWaits& slot : tracked) {
    if (slot.cond == cond) return ++slot.waits;
  }
  CondWaits& slot = tracked[next_slot++ % kTrackedConds];
  slot = CondWaits{cond, 1};
  return 1;
}

bool InjectSpuriousWakeup(const pthread_cond_t* cond) {
  long period = SpuriousPeriod();
  if (period == 0) return false;
  if ((CountWait(cond) - 1) % static_cast<unsigned long>(period) != 0) {
    return false;
  }
  ipclab_shim_spurious_wakeups.fetch_add(1, std::memory_order_relaxed);
  return true;
}

// Called once the wait is known to be real (not an injected wakeup).
void BeforeRealWait() {
  if (void (*hook)() =
          ipclab_shim_before_wait.load(std::memory_order_acquire)) {
    hook();
  }
}

}  // namespace

extern "C" {

// Plain (unversioned) definitions: they satisfy references to any version,
// so calls that were linked against pthread_cond_wait@GLIBC_2.3.2 land here.

int pthread_create(pthread_t* thread, const pthread_attr_t* attr,
                   void* (*start_routine)(void*), void* arg) {
  CreateFn real = Real(real_create, "pthread_create", nullptr);
  // Counted before the thread exists, so the count is never behind what
  // /proc shows; taken back if no thread came of it.
  ipclab_shim_thread_creations.fetch_add(1, std::memory_order_seq_cst);
  int result = real(thread, attr, start_routine, arg);
  if (result != 0) {
    ipclab_shim_thread_creations.fetch_sub(1, std::memory_order_seq_cst);
  }
  return result;
}

// A spurious return keeps the mutex locked, as pthread_cond_wait must on
// return; the caller cannot tell it from "woken, re-locked at once".
int pthread_cond_wait(pthread_cond_t* cond, pthread_mutex_t* mutex) {
  if (InjectSpuriousWakeup(cond)) return 0;
  BeforeRealWait();
  return Real(real_wait, "pthread_cond_wait", "GLIBC_2.3.2")(cond, mutex);
}

int pthread_cond_timedwait(pthread_cond_t* cond, pthread_mutex_t* mutex,
                           const timespec* abstime) {
  if (InjectSpuriousWakeup(cond)) return 0;
  BeforeRealWait();
  return Real(real_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2")(
      cond, mutex, abstime);
}

int pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex,
                           clockid_t clock, const timespec* abstime) {
  if (InjectSpuriousWakeup(cond)) return 0;
  BeforeRealWait();
  return Real(real_clockwait, "pthread_cond_clockwait", "GLIBC_2.30")(
      cond, mutex, clock, abstime);
}

}  // extern "C"
