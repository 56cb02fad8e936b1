// One client connection, served from start to finish: the same code runs in
// a forked child, in a thread of its own, or in a pool worker.
#ifndef IPCLAB_ECHO_ECHO_SESSION_HPP_
#define IPCLAB_ECHO_ECHO_SESSION_HPP_

namespace echo {

// Echoes every byte received on `client_fd` back to the client, in order,
// full duplex, until one of:
//   * the client has shut down its sending side and everything it sent has
//     been echoed: the server then shuts down its own sending side, so the
//     client reads EOF right after the last byte it sent;
//   * the connection fails (reset, or the client vanished);
//   * `stop_fd` becomes readable: the server is shutting down.
// Never raises SIGPIPE. Takes ownership of `client_fd` and closes it.
void ServeConnection(int client_fd, int stop_fd);

}  // namespace echo

#endif  // IPCLAB_ECHO_ECHO_SESSION_HPP_
