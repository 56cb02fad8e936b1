#include "exit_status.h"

#include <sys/wait.h>

#include <csignal>
#include <cstring>

namespace ipclab {

ExitStatus ExitStatus::FromWaitStatus(int wstatus) {
  if (WIFSIGNALED(wstatus)) return Signaled(WTERMSIG(wstatus));
  if (WIFEXITED(wstatus)) return Exited(WEXITSTATUS(wstatus));
  return {};
}

int ExitStatus::ShellStatus() const {
  switch (kind) {
    case Kind::kExited:
      return code;
    case Kind::kSignaled:
      return 128 + signal;
    case Kind::kNotRun:
      break;
  }
  return -1;
}

std::string SignalName(int sig) {
  // sigabbrev_np is glibc >= 2.32 and async-signal-safe; Debian 12 has 2.36.
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev == nullptr) return "signal " + std::to_string(sig);
  return std::string("SIG") + abbrev;
}

std::string ExitStatus::Describe() const {
  switch (kind) {
    case Kind::kExited:
      return "exited with status " + std::to_string(code);
    case Kind::kSignaled:
      return "killed by signal " + std::to_string(signal) + " (" +
             SignalName(signal) + ")";
    case Kind::kNotRun:
      break;
  }
  return "did not run";
}

std::string DescribeShellStatus(int status) {
  std::string text = std::to_string(status);
  if (status > 128 && status < 128 + 65) {
    text += " (128 + " + SignalName(status - 128) + ")";
  }
  return text;
}

}  // namespace ipclab
