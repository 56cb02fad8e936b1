#include "echo/listen_backlog.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

namespace ipclab {
namespace {

constexpr int kTcpListen = 10;  // TCP_LISTEN in the kernel's tcp_states.h.

// Closes the netlink socket on every path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

Status SendDump(int fd, int family) {
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = family;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = 1u << kTcpListen;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &message, sizeof message, 0,
             reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    return Error{ErrnoMessage("sock_diag request", errno)};
  }
  return {};
}

// Reads the dump's replies until NLMSG_DONE; the limit of the listener on
// `port`, if there is one.
Result<std::optional<int>> ReadDump(int fd, int port) {
  std::optional<int> found;
  alignas(nlmsghdr) char buffer[32768];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{ErrnoMessage("sock_diag reply", errno)};
    int left = int(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, left);
         h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_type == NLMSG_DONE) return found;
      if (h->nlmsg_type == NLMSG_ERROR) {
        return Error{"sock_diag: the kernel refused the request"};
      }
      const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
      if (ntohs(m->id.idiag_sport) == port) found = int(m->idiag_wqueue);
    }
  }
}

}  // namespace

Result<std::optional<int>> ListenBacklog(int port) {
  for (int family : {AF_INET, AF_INET6}) {
    Fd nl{socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)};
    if (nl.fd < 0) return Error{ErrnoMessage("netlink socket", errno)};
    if (Status s = SendDump(nl.fd, family); !s.ok()) return s.error();
    auto found = ReadDump(nl.fd, port);
    if (!found) return found.error();
    if (*found) return found;
  }
  return std::optional<int>();
}

int SomaxConn() {
  int value = 4096;  // The kernel's default since Linux 5.4.
  std::ifstream("/proc/sys/net/core/somaxconn") >> value;
  return value;
}

}  // namespace ipclab
