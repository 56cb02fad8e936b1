// ipclab-rendezvous DIR N [TIMEOUT_SECONDS]
//
// Proves that N pipeline stages run at the same time, without sleeping:
// each stage drops a file named after its pid into DIR and waits until DIR
// holds N entries. A shell that waits for one command before starting the
// next never gets there, and every stage gives up at the deadline.
//
// Prints "met N" on stdout and exits 0 on success; exits 1 on timeout or
// error, 2 on a usage error. Never reads stdin.

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <string>

namespace {

constexpr char kPrefix[] = "ipclab-rendezvous: ";

void Complain(const std::string& message) {
  std::string line = kPrefix + message + "\n";
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

// Like mkdir -p: creates every missing component; existing ones are fine.
bool MakeDirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) return false;
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return false;
  }
  return true;
}

// Counts the entries of dir other than "." and "..", or -1 on error.
long CountEntries(const std::string& dir_path) {
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr) return -1;
  long count = 0;
  while (struct dirent* entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
      ++count;
    }
  }
  closedir(dir);
  return count;
}

double Now() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool ParseCount(const char* text, long* value) {
  if (*text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || v < 1) return false;
  *value = v;
  return true;
}

bool ParseSeconds(const char* text, double* value) {
  char* end = nullptr;
  errno = 0;
  double v = strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !isfinite(v) || v <= 0 ||
      v > 86400) {
    return false;
  }
  *value = v;
  return true;
}

// Watches `dir` (before counting: a stage that arrives between our count
// and our wait would otherwise go unnoticed until the deadline), then
// leaves this stage's mark in it. The inotify fd, or -1 after complaining.
int WatchAndMark(const std::string& dir) {
  int inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify_fd < 0 ||
      inotify_add_watch(inotify_fd, dir.c_str(), IN_CREATE | IN_MOVED_TO) < 0) {
    Complain("cannot watch directory " + dir + ": " + strerror(errno));
    return -1;
  }
  std::string mark = dir + "/" + std::to_string(getpid());
  int mark_fd = open(mark.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (mark_fd < 0) {
    Complain("cannot create " + mark + ": " + strerror(errno));
    return -1;
  }
  close(mark_fd);
  return inotify_fd;
}

// Waits until `wanted` stages have left their mark, or the deadline passes
// (then says what that means for the shell). True once they all met.
bool AwaitOthers(const std::string& dir, int inotify_fd, long wanted,
                 double deadline, double timeout) {
  for (;;) {
    const long count = CountEntries(dir);
    if (count < 0) {
      Complain("cannot read directory " + dir + ": " + strerror(errno));
      return false;
    }
    if (count >= wanted) return true;
    double left = deadline - Now();
    if (left <= 0) {
      char seconds[32];
      snprintf(seconds, sizeof seconds, "%g", timeout);
      Complain(std::string("waited ") + seconds + " s but only " +
               std::to_string(count) + " of " + std::to_string(wanted) +
               " pipeline stages were running at the same time. A shell "
               "must start every command of a pipeline before waiting for "
               "any of them.");
      return false;
    }
    struct pollfd pfd = {inotify_fd, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(ceil(left * 1000)));
    if (ready < 0 && errno != EINTR) {
      Complain(std::string("poll: ") + strerror(errno));
      return false;
    }
    // Drain the events; what matters is only that something changed, and
    // the loop recounts anyway.
    char events[4096];
    while (read(inotify_fd, events, sizeof events) > 0) {
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  long wanted = 0;
  double timeout = 5;
  if (argc < 3 || argc > 4 || !ParseCount(argv[2], &wanted) ||
      (argc == 4 && !ParseSeconds(argv[3], &timeout))) {
    Complain("usage: ipclab-rendezvous DIR N [TIMEOUT_SECONDS]");
    return 2;
  }
  std::string dir = argv[1];
  double deadline = Now() + timeout;

  if (!MakeDirs(dir)) {
    Complain("cannot create directory " + dir + ": " + strerror(errno));
    return 1;
  }
  const int inotify_fd = WatchAndMark(dir);
  if (inotify_fd < 0) return 1;
  if (!AwaitOthers(dir, inotify_fd, wanted, deadline, timeout)) return 1;

  // The proof is complete once we get here. The next stage may already have
  // left (it does not read stdin), so a vanished reader is not a failure.
  signal(SIGPIPE, SIG_IGN);
  std::string met = "met " + std::to_string(wanted) + "\n";
  ssize_t n;
  do {
    n = write(STDOUT_FILENO, met.data(), met.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno != EPIPE) {
    Complain(std::string("write to stdout: ") + strerror(errno));
    return 1;
  }
  return 0;
}
