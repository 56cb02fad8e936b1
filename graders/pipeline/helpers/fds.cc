// ipclab-fds REPORT_FILE
//
// A pipeline stage that reports what the shell gave it: its open file
// descriptors, ignored and blocked signals, the shell's own open descriptors
// and the shell's other children. It then copies stdin to stdout unchanged,
// so it can sit anywhere in a pipeline. Report format (one item a line):
//
//   pid PID
//   ppid PPID
//   fd N MODE TARGET          (MODE is r, w, rw or ?)
//   sigign HEX16
//   sigblk HEX16
//   parent_fd N MODE TARGET
//   sibling PID STATE COMM    (the shell's other children; also our own
//                              children, if the shell exec'd us unforked)
//   end
//
// Exit status: 0 after copying everything, 1 if the report could not be
// written or copying failed (EPIPE included, quietly), 2 on a usage error.

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

constexpr char kPrefix[] = "ipclab-fds: ";

void Complain(const std::string& message) {
  std::string line = kPrefix + message + "\n";
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

// Reads a whole (small, /proc) file. Returns false if it cannot be read,
// which for /proc usually means the process or descriptor just went away.
bool ReadFile(const std::string& path, std::string* out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return true;
}

// Parses a non-negative decimal directory entry name such as "12".
bool ParseNumber(const char* text, long* value) {
  if (*text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *value = v;
  return true;
}

// Lists the numeric entries of a /proc directory (fd numbers, pids).
// With skip_own_dir_fd, the descriptor opendir() itself uses is left out:
// it exists only because we are looking, so it must not be reported.
bool ListNumbers(const std::string& dir_path, bool skip_own_dir_fd,
                 std::vector<long>* numbers) {
  DIR* dir = opendir(dir_path.c_str());
  if (dir == nullptr) return false;
  long own_fd = skip_own_dir_fd ? dirfd(dir) : -1;
  while (struct dirent* entry = readdir(dir)) {
    long n;
    if (ParseNumber(entry->d_name, &n) && n != own_fd) numbers->push_back(n);
  }
  closedir(dir);
  std::sort(numbers->begin(), numbers->end());
  return true;
}

// Replaces control characters so that a strange file name cannot break the
// one-item-per-line report format.
std::string Sanitize(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

struct FdInfo {
  long fd;
  std::string mode;
  std::string target;
};

// Returns "r", "w" or "rw" from the octal "flags:" line of fdinfo.
std::string AccessMode(const std::string& fdinfo) {
  size_t pos = fdinfo.find("flags:");
  if (pos == std::string::npos) return "?";
  unsigned long flags = strtoul(fdinfo.c_str() + pos + 6, nullptr, 8);
  switch (flags & O_ACCMODE) {
    case O_RDONLY:
      return "r";
    case O_WRONLY:
      return "w";
    case O_RDWR:
      return "rw";
    default:
      return "?";
  }
}

// Describes the given descriptors of the process whose /proc directory is
// proc_dir. Descriptors closed in the meantime are left out.
std::vector<FdInfo> DescribeFds(const std::string& proc_dir,
                                const std::vector<long>& fds) {
  std::vector<FdInfo> result;
  for (long fd : fds) {
    std::string number = std::to_string(fd);
    char target[4096];
    std::string link = proc_dir + "/fd/" + number;
    ssize_t len = readlink(link.c_str(), target, sizeof target - 1);
    if (len < 0) continue;
    std::string fdinfo;
    std::string mode = "?";
    if (ReadFile(proc_dir + "/fdinfo/" + number, &fdinfo)) {
      mode = AccessMode(fdinfo);
    }
    result.push_back(
        {fd, mode, Sanitize(std::string(target, static_cast<size_t>(len)))});
  }
  return result;
}

// Returns the value of a "Name:\tvalue" line of /proc/self/status.
std::string StatusField(const std::string& status, const std::string& name) {
  std::string key = "\n" + name + ":";
  size_t pos = ("\n" + status).find(key);
  if (pos == std::string::npos) return "?";
  pos += key.size() - 1;  // Undo the newline we prepended.
  while (pos < status.size() && (status[pos] == ' ' || status[pos] == '\t')) {
    ++pos;
  }
  size_t end = status.find('\n', pos);
  return status.substr(pos, end == std::string::npos ? end : end - pos);
}

struct ProcInfo {
  long pid;
  char state;
  std::string comm;
  long ppid;
};

// Parses /proc/PID/stat. The command name may contain spaces and
// parentheses, so the fields after it are found after the LAST ')'.
bool ReadStat(long pid, ProcInfo* info) {
  std::string stat;
  if (!ReadFile("/proc/" + std::to_string(pid) + "/stat", &stat)) return false;
  size_t open_paren = stat.find('(');
  size_t close_paren = stat.rfind(')');
  if (open_paren == std::string::npos || close_paren == std::string::npos ||
      close_paren < open_paren || close_paren + 4 > stat.size()) {
    return false;
  }
  info->pid = pid;
  info->comm =
      Sanitize(stat.substr(open_paren + 1, close_paren - open_paren - 1));
  info->state = stat[close_paren + 2];
  info->ppid = strtol(stat.c_str() + close_paren + 4, nullptr, 10);
  return true;
}

// Finds the children of ppid other than ourselves. Uses the parent's
// task/*/children files; kernels built without them get a scan of /proc.
std::vector<ProcInfo> Siblings(long ppid, long self) {
  std::string proc_dir = "/proc/" + std::to_string(ppid);
  std::vector<long> tasks;
  std::vector<long> pids;
  bool have_children_files = false;
  if (ListNumbers(proc_dir + "/task", false, &tasks)) {
    for (long tid : tasks) {
      std::string children;
      if (!ReadFile(proc_dir + "/task/" + std::to_string(tid) + "/children",
                    &children)) {
        continue;
      }
      have_children_files = true;
      const char* p = children.c_str();
      char* end = nullptr;
      for (long pid = strtol(p, &end, 10); end != p;
           p = end, pid = strtol(p, &end, 10)) {
        pids.push_back(pid);
      }
    }
  }
  if (!have_children_files) {
    std::vector<long> all;
    ListNumbers("/proc", false, &all);
    for (long pid : all) {
      ProcInfo info;
      if (ReadStat(pid, &info) && info.ppid == ppid) pids.push_back(pid);
    }
  }
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  std::vector<ProcInfo> result;
  for (long pid : pids) {
    ProcInfo info;
    if (pid != self && ReadStat(pid, &info)) result.push_back(info);
  }
  return result;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Copies stdin to stdout. Returns the exit status.
int Copy() {
  static char buf[65536];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    // A closed stdin is what a stage at the head of a pipeline may get; it
    // simply has nothing to pass on.
    if (n == 0 || (n < 0 && errno == EBADF)) return 0;
    if (n < 0) {
      Complain(std::string("read from stdin: ") + strerror(errno));
      return 1;
    }
    if (!WriteAll(STDOUT_FILENO, buf, static_cast<size_t>(n))) {
      // EPIPE means the reader has gone, which is normal in a pipeline.
      if (errno != EPIPE) {
        Complain(std::string("write to stdout: ") + strerror(errno));
      }
      return 1;
    }
  }
}

// The report: who we are, our descriptors and signal dispositions, the
// shell's descriptors, and the shell's other children. `own_fds` was
// listed before anything else was opened.
std::string BuildReport(const std::vector<long>& own_fds) {
  const long pid = getpid();
  const long ppid = getppid();
  std::string report;
  report += "pid " + std::to_string(pid) + "\n";
  report += "ppid " + std::to_string(ppid) + "\n";
  for (const FdInfo& f : DescribeFds("/proc/self", own_fds)) {
    report +=
        "fd " + std::to_string(f.fd) + " " + f.mode + " " + f.target + "\n";
  }
  std::string status;
  ReadFile("/proc/self/status", &status);
  report += "sigign " + StatusField(status, "SigIgn") + "\n";
  report += "sigblk " + StatusField(status, "SigBlk") + "\n";

  std::string parent_dir = "/proc/" + std::to_string(ppid);
  std::vector<long> parent_fds;
  if (!ListNumbers(parent_dir + "/fd", false, &parent_fds)) {
    Complain("could not list the open files of the shell (pid " +
             std::to_string(ppid) + "): " + strerror(errno));
  }
  for (const FdInfo& f : DescribeFds(parent_dir, parent_fds)) {
    report += "parent_fd " + std::to_string(f.fd) + " " + f.mode + " " +
              f.target + "\n";
  }
  for (const ProcInfo& s : Siblings(ppid, pid)) {
    report += "sibling " + std::to_string(s.pid) + " " + s.state + " " +
              s.comm + "\n";
  }
  // A shell may exec its last command without forking (the lab allows it):
  // we are then the shell's own process, and the children it never waited
  // for are ours. A command the shell forked has no children yet.
  for (const ProcInfo& s : Siblings(pid, pid)) {
    report += "sibling " + std::to_string(s.pid) + " " + s.state + " " +
              s.comm + "\n";
  }
  return report + "end\n";
}

// 0, or 1 after saying why the report could not be written.
int WriteReport(const char* path, const std::string& report) {
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    Complain(std::string("cannot create report file ") + path + ": " +
             strerror(errno));
    return 1;
  }
  // One write, so a reader never sees a half-written line in practice;
  // WriteAll only loops if the kernel hands back a short write.
  bool written = WriteAll(out, report.data(), report.size());
  if (close(out) != 0 || !written) {
    Complain(std::string("cannot write report file ") + path + ": " +
             strerror(errno));
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    Complain("usage: ipclab-fds REPORT_FILE");
    return 2;
  }
  // Our own descriptors come first, before we open anything that would show
  // up among them.
  std::vector<long> own_fds;
  if (!ListNumbers("/proc/self/fd", true, &own_fds)) {
    Complain("could not list /proc/self/fd; is /proc mounted?");
  }
  const int exit_status = WriteReport(argv[1], BuildReport(own_fds));
  // Keep passing data on even if the report failed, so the rest of the
  // pipeline still behaves as the student expects.
  int copy_status = Copy();
  return exit_status != 0 ? exit_status : copy_status;
}
