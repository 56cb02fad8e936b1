#include "observe.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace pool_driver {
namespace {

// Reads a small /proc file whole. Plain read(2) rather than iostreams: this
// runs in tasks, in tight polling loops, and must not allocate much.
std::string ReadSmallFile(const std::string& path) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[4096];
  while (true) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  close(fd);
  return text;
}

std::string TaskPath(pid_t tid, const char* file) {
  return "/proc/self/task/" + std::to_string(tid) + "/" + file;
}

// The number after "KEY:" in a /proc status file, or -1.
long StatusField(const std::string& status, const char* key) {
  std::size_t at = status.find(key);
  if (at == std::string::npos) return -1;
  return std::strtol(status.c_str() + at + std::strlen(key), nullptr, 10);
}

}  // namespace

pid_t CurrentTid() { return gettid(); }

std::set<pid_t> ThreadIds() {
  std::set<pid_t> ids;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return ids;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    ids.insert(static_cast<pid_t>(std::strtol(entry->d_name, nullptr, 10)));
  }
  closedir(dir);
  return ids;
}

int ThreadCount() {
  // Counted without building a set: this is sampled inside tasks.
  int count = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9') ++count;
  }
  closedir(dir);
  return count;
}

char ThreadState(pid_t tid) {
  std::string stat = ReadSmallFile(TaskPath(tid, "stat"));
  std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return '?';
  return stat[paren + 2];
}

ContextSwitches ThreadContextSwitches(pid_t tid) {
  std::string status = ReadSmallFile(TaskPath(tid, "status"));
  ContextSwitches switches;
  if (status.empty()) return switches;
  switches.voluntary = StatusField(status, "\nvoluntary_ctxt_switches:");
  switches.involuntary = StatusField(status, "\nnonvoluntary_ctxt_switches:");
  return switches;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

bool WaitUntilParked(pid_t tid, std::chrono::steady_clock::duration limit) {
  constexpr int kAsleepSamples = 3;
  auto deadline = std::chrono::steady_clock::now() + limit;
  int asleep_in_a_row = 0;
  long last_voluntary = -1;
  while (std::chrono::steady_clock::now() < deadline) {
    char state = ThreadState(tid);
    long voluntary = ThreadContextSwitches(tid).voluntary;
    if (IsAsleep(state) && voluntary == last_voluntary) {
      if (++asleep_in_a_row >= kAsleepSamples) return true;
    } else {
      asleep_in_a_row = IsAsleep(state) ? 1 : 0;
    }
    last_voluntary = voluntary;
    // Sampling the thread's state, not waiting for time to pass: the
    // samples are the observation.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

}  // namespace pool_driver
