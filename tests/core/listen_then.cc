// A stand-in echo server for the termination tests: it binds a TCP port on
// loopback, prints the lab's readiness line "listening on PORT", and then
// execs the command it was given (a crash, a hang, a flood, a fork loop).
// The listening socket stays open across exec, so a client's connect()
// succeeds (the kernel completes it) and the misbehaviour, not a refused
// connection, is what the grader sees.
//
//   listen_then COMMAND [ARG...]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: listen_then COMMAND [ARG...]\n");
    return 2;
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);  // Not CLOEXEC: kept.
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;  // Any free port.
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(fd, 16) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("listen_then");
    return 1;
  }
  std::printf("listening on %d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  execvp(argv[1], argv + 1);
  std::perror("listen_then: exec");
  return 127;
}
