#include "echo/observe.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ipclab {

ServerState Observe(pid_t pid) {
  ServerState s;
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream status(base + "/status");
  std::string key;
  while (status >> key) {
    if (key == "Threads:") {
      status >> s.threads;
    } else if (key == "VmSize:") {
      status >> s.vm_size_kb;
    } else if (key == "VmRSS:") {
      status >> s.vm_rss_kb;
    }
    status.ignore(1 << 20, '\n');
  }
  for (const auto& fd : ReadFds(pid)) {
    ++s.fds;
    if (fd.target.rfind("socket:", 0) == 0) ++s.sockets;
  }
  const auto table = ReadProcessTable();
  for (const auto& p : table) {
    if (p.ppid == pid) ++(p.state == 'Z' ? s.zombies : s.children);
  }
  pid_t init = 0;
  for (const auto& p : table) {
    if (p.pid == pid) init = p.ppid;
  }
  for (const auto& p : TestProcesses(pid, table)) {
    if (p.ppid == init) {
      ++(p.state == 'Z' ? s.orphan_zombies : s.orphans_live);
    } else {
      ++(p.state == 'Z' ? s.tree_zombies : s.tree_live);
    }
  }
  return s;
}

std::vector<ProcInfo> TestProcesses(pid_t server,
                                    const std::vector<ProcInfo>& table) {
  pid_t init = 0;
  for (const auto& p : table) {
    if (p.pid == server) init = p.ppid;
  }
  std::vector<ProcInfo> others;
  if (init <= 1) return others;
  for (const auto& p : Descendants(init, table)) {
    if (p.pid != server) others.push_back(p);
  }
  return others;
}

namespace {

// The /proc/net/tcp line of the LISTEN socket on `port`, split into fields:
// sl local remote st tx:rx tr:when retrnsmt uid timeout inode ...
std::vector<std::string> ListenerFields(int port) {
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  std::getline(tcp, line);  // Header.
  while (std::getline(tcp, line)) {
    std::istringstream f(line);
    std::vector<std::string> fields;
    for (std::string field; f >> field;) fields.push_back(field);
    if (fields.size() < 10 || fields[3] != "0A") continue;  // TCP_LISTEN
    const std::string& local = fields[1];
    auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    if (std::strtol(local.c_str() + colon + 1, nullptr, 16) != port) continue;
    return fields;
  }
  return {};
}

}  // namespace

int AcceptQueueLength(int port) {
  const auto fields = ListenerFields(port);
  if (fields.empty()) return -1;
  // "tx_queue:rx_queue"; for a listener rx_queue is the accept backlog.
  const std::string& queues = fields[4];
  auto sep = queues.find(':');
  return int(std::strtol(queues.c_str() + sep + 1, nullptr, 16));
}

unsigned long ListeningSocketInode(int port) {
  const auto fields = ListenerFields(port);
  return fields.empty() ? 0 : std::strtoul(fields[9].c_str(), nullptr, 10);
}

long long Wakeups(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  long long total = 0;
  DIR* dir = opendir(tasks.c_str());
  if (!dir) return 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream status(tasks + "/" + e->d_name + "/status");
    std::string key;
    while (status >> key) {
      if (key == "voluntary_ctxt_switches:") {
        long long n = 0;
        status >> n;
        total += n;
      }
      status.ignore(1 << 20, '\n');
    }
  }
  closedir(dir);
  return total;
}

bool AllThreadsAsleep(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (!dir) return false;
  bool asleep = true;
  int seen = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    // A thread's stat is also at /proc/TID/stat, which ReadProcess parses.
    const ProcInfo thread = ReadProcess(std::atoi(e->d_name));
    if (thread.pid == 0) continue;  // Ended meanwhile.
    ++seen;
    if (thread.state != 'S') asleep = false;
  }
  closedir(dir);
  return asleep && seen > 0;
}

long long CpuTicks(pid_t pid) { return ReadCpuTicks(pid); }

long TicksPerSecond() { return sysconf(_SC_CLK_TCK); }

}  // namespace ipclab
