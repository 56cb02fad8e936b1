#include "echo/netns_client.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace ipclab {

Result<TcpClient> ConnectInNetworkOf(pid_t pid, int port,
                                     Clock::time_point deadline, int rcvbuf) {
  Result<TcpClient> result = Error{"not connected"};
  std::thread t([&] {
    const std::string ns = "/proc/" + std::to_string(pid) + "/ns/net";
    int fd = ::open(ns.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      result = Error{ErrnoMessage("open " + ns, errno)};
      return;
    }
    const bool entered = ::setns(fd, CLONE_NEWNET) == 0;
    const int err = errno;
    ::close(fd);
    if (!entered) {
      result = Error{ErrnoMessage("enter the server's network namespace", err)};
      return;
    }
    result = TcpClient::Connect(port, deadline, rcvbuf);
  });
  t.join();
  return result;
}

Result<TcpClient> ConnectTo(const ServerSession& s, int rcvbuf) {
  if (s.private_network) {
    return ConnectInNetworkOf(s.pid, s.port, s.deadline, rcvbuf);
  }
  return TcpClient::Connect(s.port, s.deadline, rcvbuf);
}

namespace {

int PortOf(const std::string& address) {  // "0100007F:1F90"
  auto colon = address.find(':');
  if (colon == std::string::npos) return -1;
  return int(std::strtol(address.c_str() + colon + 1, nullptr, 16));
}

}  // namespace

std::optional<TcpSocketState> FindTcpSocket(pid_t pid, int local_port,
                                            int remote_port) {
  std::ifstream tcp("/proc/" + std::to_string(pid) + "/net/tcp");
  std::string line;
  std::getline(tcp, line);  // Header.
  while (std::getline(tcp, line)) {
    // sl local remote st tx_queue:rx_queue tr:tm->when ...
    std::istringstream f(line);
    std::vector<std::string> fields;
    for (std::string field; fields.size() < 6 && f >> field;) {
      fields.push_back(field);
    }
    if (fields.size() < 6 || PortOf(fields[1]) != local_port ||
        PortOf(fields[2]) != remote_port) {
      continue;
    }
    TcpSocketState s;
    s.state = int(std::strtol(fields[3].c_str(), nullptr, 16));
    s.tx_queue = std::strtol(fields[4].c_str(), nullptr, 16);
    s.rx_queue =
        std::strtol(fields[4].c_str() + fields[4].find(':') + 1, nullptr, 16);
    s.timer = int(std::strtol(fields[5].c_str(), nullptr, 16));
    return s;
  }
  return std::nullopt;
}

}  // namespace ipclab
