#include "cli/watch_command.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <string_view>

namespace ipclab {
namespace {

// A file whose change means a new grading: sources and headers, not the
// executables `make` writes, nor editors' hidden and backup files.
bool IsSource(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '~') return false;
  for (std::string_view ext : {".cpp", ".cc", ".hpp", ".h"}) {
    if (name.size() > ext.size() &&
        name.substr(name.size() - ext.size()) == ext) {
      return true;
    }
  }
  return false;
}

// Whether a buffer of inotify events names a source file.
bool NamesSource(const char* buf, ssize_t n) {
  bool source = false;
  for (ssize_t at = 0; at + ssize_t(sizeof(inotify_event)) <= n;) {
    const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
    if (e->len > 0 && IsSource(e->name)) source = true;
    at += sizeof(inotify_event) + e->len;
  }
  return source;
}

// Blocks until a source file changes, then lets the burst of events of one
// save settle (an editor writes, renames and deletes): it returns once no
// event came for 300 ms. False when inotify fails.
bool WaitForChange(int fd) {
  alignas(inotify_event) char buf[8192];
  bool changed = false;
  while (!changed) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    changed = NamesSource(buf, n);
  }
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 300) > 0) {
    if (::read(fd, buf, sizeof buf) <= 0) return false;
  }
  return true;
}

// One grading of `only` (all of the options' tests when empty).
GradedIds Grade(GradeOptions o, const std::vector<std::string>& only) {
  GradedIds ids;
  if (!only.empty()) o.only = only;
  o.ids = &ids;
  GradeCommand(o);
  return ids;
}

}  // namespace

int WatchCommand(const GradeOptions& options) {
  const int fd = inotify_init1(IN_CLOEXEC);
  if (fd < 0 || inotify_add_watch(
                    fd, options.submission.c_str(),
                    IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_CREATE) < 0) {
    std::cerr << "ipclab grade --watch: cannot watch " << options.submission
              << " with inotify\n";
    return 2;
  }
  GradedIds last = Grade(options, {});
  for (;;) {
    std::cout << "\nWatching " << options.submission
              << ": save a source file to grade again (Ctrl-C ends).\n"
              << std::flush;
    if (!WaitForChange(fd)) return 2;
    if (last.failed.empty() || last.failed.size() == last.all.size()) {
      last = Grade(options, {});
      continue;
    }
    std::vector<std::string> rest;
    for (const auto& id : last.all) {
      if (std::find(last.failed.begin(), last.failed.end(), id) ==
          last.failed.end()) {
        rest.push_back(id);
      }
    }
    std::cout << "\nThe tests that failed last time, first:\n" << std::flush;
    GradedIds first = Grade(options, last.failed);
    std::cout << "\nThe rest:\n" << std::flush;
    GradedIds second = Grade(options, rest);
    last.failed = first.failed;
    last.failed.insert(last.failed.end(), second.failed.begin(),
                       second.failed.end());
  }
}

}  // namespace ipclab
