#include "proc_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace ipclab {
namespace {

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsNumber(const char* s) {
  if (*s == '\0') return false;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

// /proc/PID/stat is "pid (comm) state ppid ...": comm may hold spaces and
// parentheses, so the fields after it are found from the last ')'.
bool ParseStat(const std::string& stat, ProcInfo* info, long long* cpu_ticks) {
  auto open = stat.find('(');
  auto close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  info->pid = std::atoi(stat.c_str());
  info->comm = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 1));
  rest >> info->state >> info->ppid;
  if (cpu_ticks) {
    // Fields 4..13 follow ppid; utime and stime are fields 14 and 15.
    std::string skip;
    for (int i = 0; i < 9; ++i) rest >> skip;
    long long utime = 0, stime = 0;
    rest >> utime >> stime;
    *cpu_ticks = utime + stime;
  }
  return bool(rest) || info->ppid != 0;
}

}  // namespace

ProcInfo ReadProcess(pid_t pid) {
  ProcInfo info;
  std::string stat = ReadWhole("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty() || !ParseStat(stat, &info, nullptr)) return {};
  return info;
}

std::vector<ProcInfo> ReadProcessTable() {
  std::vector<ProcInfo> table;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return table;
  while (dirent* e = readdir(dir)) {
    if (!IsNumber(e->d_name)) continue;
    ProcInfo info = ReadProcess(std::atoi(e->d_name));
    if (info.pid != 0) table.push_back(info);
  }
  closedir(dir);
  return table;
}

std::vector<ProcInfo> Descendants(pid_t root,
                                  const std::vector<ProcInfo>& table) {
  std::multimap<pid_t, const ProcInfo*> children;
  for (const auto& p : table) children.emplace(p.ppid, &p);
  std::vector<ProcInfo> out;
  std::vector<pid_t> frontier{root};
  while (!frontier.empty()) {
    pid_t parent = frontier.back();
    frontier.pop_back();
    auto [lo, hi] = children.equal_range(parent);
    for (auto it = lo; it != hi; ++it) {
      if (it->second->pid == root) continue;
      out.push_back(*it->second);
      frontier.push_back(it->second->pid);
    }
  }
  return out;
}

std::vector<FdInfo> ReadFds(pid_t pid) {
  std::vector<FdInfo> fds;
  std::string base = "/proc/" + std::to_string(pid);
  DIR* dir = opendir((base + "/fd").c_str());
  if (dir == nullptr) return fds;
  while (dirent* e = readdir(dir)) {
    if (!IsNumber(e->d_name)) continue;
    FdInfo fd;
    fd.fd = std::atoi(e->d_name);
    std::string link = base + "/fd/" + e->d_name;
    char buf[4096];
    ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
    if (n < 0) continue;  // Closed while we looked.
    fd.target.assign(buf, n);
    std::istringstream info(ReadWhole(base + "/fdinfo/" + e->d_name));
    std::string key;
    while (info >> key) {
      if (key == "flags:") {
        std::string octal;
        info >> octal;
        int flags = int(std::strtol(octal.c_str(), nullptr, 8));
        int acc = flags & O_ACCMODE;
        fd.mode = acc == O_RDONLY ? 'r' : acc == O_WRONLY ? 'w' : 'b';
        break;
      }
    }
    fds.push_back(fd);
  }
  closedir(dir);
  return fds;
}

std::string ReadCmdline(pid_t pid) {
  std::string raw = ReadWhole("/proc/" + std::to_string(pid) + "/cmdline");
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  return raw;
}

long long ReadCpuTicks(pid_t pid) {
  ProcInfo info;
  long long ticks = -1;
  std::string stat = ReadWhole("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty() || !ParseStat(stat, &info, &ticks)) return -1;
  return ticks;
}

}  // namespace ipclab
