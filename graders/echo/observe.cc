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
  for (const auto& p : ReadProcessTable()) {
    if (p.ppid != pid) continue;
    s.children.push_back(p);
    if (p.state == 'Z') {
      ++s.zombies;
    } else {
      ++s.live_children;
    }
  }
  return s;
}

int AcceptQueueLength(int port) {
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  std::getline(tcp, line);  // Header.
  while (std::getline(tcp, line)) {
    std::istringstream f(line);
    std::string slot, local, remote, state, queues;
    f >> slot >> local >> remote >> state >> queues;
    if (state != "0A") continue;  // TCP_LISTEN
    auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    if (std::strtol(local.c_str() + colon + 1, nullptr, 16) != port) continue;
    // "tx_queue:rx_queue"; for a listener rx_queue is the accept backlog.
    auto sep = queues.find(':');
    return int(std::strtol(queues.c_str() + sep + 1, nullptr, 16));
  }
  return -1;
}

long long CpuTicks(pid_t pid) { return ReadCpuTicks(pid); }

long TicksPerSecond() { return sysconf(_SC_CLK_TCK); }

}  // namespace ipclab
