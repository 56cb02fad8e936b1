// libipclab-io-shim.so: an LD_PRELOAD shim for the echo lab's server. It
// sits between the student's server and glibc and makes two things happen
// that POSIX allows at any time but loopback almost never produces:
//
//  * Short writes (IPCLAB_IO_SHORT=N): a send()/sendto()/write() on a
//    socket first runs a signal handler and then transfers only about half
//    of the bytes asked for. POSIX write(): "If write() is interrupted by a
//    signal after it successfully writes some data, it shall return the
//    number of bytes written"; Linux's TCP send does exactly that.
//
//  * EINTR (IPCLAB_IO_EINTR=N): a recv()/recvfrom()/read() on a socket,
//    accept()/accept4(), poll()/ppoll(), select() or epoll_wait() first
//    runs a signal handler and then fails with EINTR without doing
//    anything: "interrupted by a signal before any data was transferred".
//
// Which calls: each thread's first call of each group, then each call with
// probability 1/N, never two in a row. Random rather than every Nth call: a
// loop of a fixed length (poll, recv, poll, recv, ...) would otherwise meet
// the period in phase and have its recv() fail every time, a livelock no
// real system produces. Never two in a row, so a correct program that
// retries always makes progress.
//
// Both only ever follow a real signal: the shim installs a handler for
// SIGURG without SA_RESTART and raises SIGURG on the calling thread. If the
// handler did not run (the thread blocks SIGURG, or the program installed
// its own SIGURG handler), nothing is injected.
//
// Injections are counted in a file (IPCLAB_IO_COUNTS=PATH) shared by every
// process of the server, so the grader can tell the student what happened,
// and can tell that the shim was loaded at all (a statically linked program
// cannot be reached by LD_PRELOAD).
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "echo/shim/io_shim_counts.h"

namespace {

constexpr int kSignal = SIGURG;  // Ignored by default: harmless if stray.

long short_period = 0;  // 0: off. Set by the constructor, then read-only.
long eintr_period = 0;
ipclab::IoShimCounts* counts = nullptr;  // Shared; null without the file.

__attribute__((tls_model(
    "initial-exec"))) thread_local volatile sig_atomic_t handler_ran = 0;

// One thread's injection state for one group of calls.
struct Dice {
  unsigned long long rng = 0;
  bool started = false;  // The first call has been seen.
  bool last = false;     // The previous call was injected.
};
__attribute__((tls_model("initial-exec"))) thread_local Dice write_dice;
__attribute__((tls_model("initial-exec"))) thread_local Dice wait_dice;

// First call: yes; then 1 in `period`, never twice in a row.
bool Roll(Dice& d, long period) {
  bool inject;
  if (!d.started) {
    d.started = true;
    d.rng = 0x9e3779b97f4a7c15ULL ^ (unsigned long long)gettid() ^
            (unsigned long long)getpid() << 32;
    inject = true;
  } else {
    d.rng ^= d.rng << 13;
    d.rng ^= d.rng >> 7;
    d.rng ^= d.rng << 17;
    inject = !d.last && d.rng % (unsigned long long)period == 0;
  }
  d.last = inject;
  return inject;
}

void OnSignal(int) { handler_ran = 1; }

long PeriodFromEnv(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr) return 0;
  long period = std::strtol(text, nullptr, 10);
  if (period <= 0) return 0;
  return period;
}

void MapCounts() {
  const char* path = std::getenv("IPCLAB_IO_COUNTS");
  if (path == nullptr) return;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  void* p = MAP_FAILED;
  if (ftruncate(fd, sizeof(ipclab::IoShimCounts)) == 0) {
    p = mmap(nullptr, sizeof(ipclab::IoShimCounts), PROT_READ | PROT_WRITE,
             MAP_SHARED, fd, 0);
  }
  close(fd);
  if (p != MAP_FAILED) counts = static_cast<ipclab::IoShimCounts*>(p);
}

__attribute__((constructor)) void Init() {
  short_period = PeriodFromEnv("IPCLAB_IO_SHORT");
  eintr_period = PeriodFromEnv("IPCLAB_IO_EINTR");
  MapCounts();
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // No SA_RESTART: interrupted calls fail with EINTR.
  if ((short_period != 0 || eintr_period != 0) &&
      sigaction(kSignal, &action, nullptr) != 0) {
    short_period = eintr_period = 0;
  }
  if (counts != nullptr) counts->loaded.fetch_add(1);
}

// Raises the signal on this thread; true if our handler ran. errno is kept,
// since the caller is about to set or return it.
bool SignalHandled() {
  const int saved = errno;
  struct sigaction current {};
  bool ours = sigaction(kSignal, nullptr, &current) == 0 &&
              current.sa_handler == OnSignal;
  handler_ran = 0;
  if (ours)
    raise(kSignal);  // Delivered before raise() returns, unless
                     // this thread blocks the signal.
  errno = saved;
  return ours && handler_ran != 0;
}

bool IsSocket(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

// Whether this call should come back short.
bool InjectShort(std::size_t len) {
  if (short_period == 0 || len < 2) return false;
  if (!Roll(write_dice, short_period)) return false;
  if (!SignalHandled()) return false;
  if (counts != nullptr) counts->short_writes.fetch_add(1);
  return true;
}

// Whether this call should fail with EINTR (errno is then set).
bool InjectEintr() {
  if (eintr_period == 0) return false;
  if (!Roll(wait_dice, eintr_period)) return false;
  if (!SignalHandled()) return false;
  if (counts != nullptr) counts->eintrs.fetch_add(1);
  errno = EINTR;
  return true;
}

void* Real(const char* name) {
  void* fn = dlsym(RTLD_NEXT, name);
  if (fn == nullptr) {
    std::fprintf(stderr, "ipclab-io-shim: cannot find %s\n", name);
    std::abort();
  }
  return fn;
}

// The real functions, resolved by the constructor (so never for the first
// time inside a signal handler that calls write()), or on first use by
// anything that runs before it.
// Spelled out: decltype(&::read) would carry glibc's attributes along,
// which template arguments drop with a warning.
using SendFn = ssize_t (*)(int, const void*, size_t, int);
using SendToFn = ssize_t (*)(int, const void*, size_t, int, const sockaddr*,
                             socklen_t);
using WriteFn = ssize_t (*)(int, const void*, size_t);
using RecvFn = ssize_t (*)(int, void*, size_t, int);
using RecvFromFn = ssize_t (*)(int, void*, size_t, int, sockaddr*, socklen_t*);
using ReadFn = ssize_t (*)(int, void*, size_t);
using AcceptFn = int (*)(int, sockaddr*, socklen_t*);
using Accept4Fn = int (*)(int, sockaddr*, socklen_t*, int);
using PollFn = int (*)(pollfd*, nfds_t, int);
using PpollFn = int (*)(pollfd*, nfds_t, const timespec*, const sigset_t*);
using SelectFn = int (*)(int, fd_set*, fd_set*, fd_set*, timeval*);
using EpollWaitFn = int (*)(int, epoll_event*, int, int);
#define IPCLAB_FORWARD(name, type) std::atomic<type> real_##name{nullptr};
IPCLAB_FORWARD(send, SendFn)
IPCLAB_FORWARD(sendto, SendToFn)
IPCLAB_FORWARD(write, WriteFn)
IPCLAB_FORWARD(recv, RecvFn)
IPCLAB_FORWARD(recvfrom, RecvFromFn)
IPCLAB_FORWARD(read, ReadFn)
IPCLAB_FORWARD(accept, AcceptFn)
IPCLAB_FORWARD(accept4, Accept4Fn)
IPCLAB_FORWARD(poll, PollFn)
IPCLAB_FORWARD(ppoll, PpollFn)
IPCLAB_FORWARD(select, SelectFn)
IPCLAB_FORWARD(epoll_wait, EpollWaitFn)
#undef IPCLAB_FORWARD

template <typename Fn>
Fn Resolve(std::atomic<Fn>& cache, const char* name) {
  Fn fn = cache.load(std::memory_order_acquire);
  if (fn == nullptr) {
    fn = reinterpret_cast<Fn>(Real(name));
    cache.store(fn, std::memory_order_release);
  }
  return fn;
}

#define IPCLAB_REAL(name) const auto real = Resolve(real_##name, #name)

__attribute__((constructor)) void ResolveAll() {
  Resolve(real_send, "send");
  Resolve(real_sendto, "sendto");
  Resolve(real_write, "write");
  Resolve(real_recv, "recv");
  Resolve(real_recvfrom, "recvfrom");
  Resolve(real_read, "read");
  Resolve(real_accept, "accept");
  Resolve(real_accept4, "accept4");
  Resolve(real_poll, "poll");
  Resolve(real_ppoll, "ppoll");
  Resolve(real_select, "select");
  Resolve(real_epoll_wait, "epoll_wait");
}

}  // namespace

extern "C" {

ssize_t send(int fd, const void* buf, size_t len, int flags) {
  IPCLAB_REAL(send);
  if (InjectShort(len)) len /= 2;
  return real(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void* buf, size_t len, int flags,
               const sockaddr* to, socklen_t tolen) {
  IPCLAB_REAL(sendto);
  if (InjectShort(len)) len /= 2;
  return real(fd, buf, len, flags, to, tolen);
}

ssize_t write(int fd, const void* buf, size_t count) {
  IPCLAB_REAL(write);
  if (count >= 2 && short_period != 0 && IsSocket(fd) && InjectShort(count)) {
    count /= 2;
  }
  return real(fd, buf, count);
}

ssize_t recv(int fd, void* buf, size_t len, int flags) {
  IPCLAB_REAL(recv);
  if (InjectEintr()) return -1;
  return real(fd, buf, len, flags);
}

ssize_t recvfrom(int fd, void* buf, size_t len, int flags, sockaddr* from,
                 socklen_t* fromlen) {
  IPCLAB_REAL(recvfrom);
  if (InjectEintr()) return -1;
  return real(fd, buf, len, flags, from, fromlen);
}

ssize_t read(int fd, void* buf, size_t count) {
  IPCLAB_REAL(read);
  if (eintr_period != 0 && IsSocket(fd) && InjectEintr()) return -1;
  return real(fd, buf, count);
}

int accept(int fd, sockaddr* addr, socklen_t* len) {
  IPCLAB_REAL(accept);
  if (InjectEintr()) return -1;
  return real(fd, addr, len);
}

int accept4(int fd, sockaddr* addr, socklen_t* len, int flags) {
  IPCLAB_REAL(accept4);
  if (InjectEintr()) return -1;
  return real(fd, addr, len, flags);
}

int poll(pollfd* fds, nfds_t nfds, int timeout) {
  IPCLAB_REAL(poll);
  if (InjectEintr()) return -1;
  return real(fds, nfds, timeout);
}

int ppoll(pollfd* fds, nfds_t nfds, const timespec* timeout,
          const sigset_t* mask) {
  IPCLAB_REAL(ppoll);
  if (InjectEintr()) return -1;
  return real(fds, nfds, timeout, mask);
}

int select(int nfds, fd_set* r, fd_set* w, fd_set* e, timeval* timeout) {
  IPCLAB_REAL(select);
  if (InjectEintr()) return -1;
  return real(nfds, r, w, e, timeout);
}

int epoll_wait(int epfd, epoll_event* events, int max, int timeout) {
  IPCLAB_REAL(epoll_wait);
  if (InjectEintr()) return -1;
  return real(epfd, events, max, timeout);
}

}  // extern "C"
