// The listening socket and the accept loop, in each of the three modes.
#ifndef IPCLAB_ECHO_SERVER_HPP_
#define IPCLAB_ECHO_SERVER_HPP_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "connection_queue.hpp"
#include "options.hpp"

namespace echo {

// main() calls, in order: Listen(), Start(), prints "listening on PORT",
// then Run(). Every step that fails has already said why on stderr.
class Server {
 public:
  // `stop_fd` becomes readable, and stays readable, once the server has to
  // stop (main() writes to a pipe from its SIGINT/SIGTERM handler).
  Server(const Options& options, int stop_fd);
  // Stops and joins the pool's workers, if any, and closes the socket.
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the listening socket on options.bind_address:options.port.
  bool Listen();

  // The port actually listened on: the kernel's pick when options.port is 0.
  std::uint16_t port() const { return port_; }

  // What the mode needs before the first client arrives: the fork mode's
  // SIGCHLD handler, the pool mode's worker threads.
  bool Start();

  // Accepts and serves clients until stop_fd becomes readable; returns true
  // then. Returns false if accepting failed for good: the clients already
  // connected are still served to the end first.
  bool Run();

 private:
  // What AcceptClient() returns when it has no client to give.
  static constexpr int kStop = -1;    // stop_fd became readable.
  static constexpr int kFailed = -2;  // accept() cannot work; reported.

  // Waits for the next client and returns its connected socket, or kStop or
  // kFailed.
  int AcceptClient();

  bool RunForkMode();
  bool RunThreadMode();
  bool RunPoolMode();

  // Fork mode: the child's side. Never returns.
  [[noreturn]] void ServeInChild(int client_fd);
  // Thread mode: book-keeping of the running session threads, so that Run()
  // can wait for them before the Server they use is destroyed.
  void SessionStarted();
  void SessionEnded();
  void WaitForSessions();
  // Pool mode: the body of each worker thread.
  void WorkerLoop();

  const Options options_;
  const int stop_fd_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;

  std::mutex sessions_mutex_;
  std::condition_variable sessions_done_;
  int sessions_ = 0;  // Guarded by sessions_mutex_.

  ConnectionQueue queue_;  // Pool mode only.
  std::vector<std::thread> workers_;
};

}  // namespace echo

#endif  // IPCLAB_ECHO_SERVER_HPP_
