// A decoded wait status: "exited 3" and "killed by SIGSEGV" stay apart, so
// no report ever shows a bare 139 or confuses exit(11) with a segfault.
#pragma once

#include <string>

namespace ipclab {

struct ExitStatus {
  enum class Kind { kExited, kSignaled, kNotRun };
  Kind kind = Kind::kNotRun;
  int code = 0;    // Exit code when kExited.
  int signal = 0;  // Signal number when kSignaled.

  static ExitStatus FromWaitStatus(int wstatus);
  static ExitStatus Exited(int code) { return {Kind::kExited, code, 0}; }
  static ExitStatus Signaled(int sig) { return {Kind::kSignaled, 0, sig}; }

  bool exited() const { return kind == Kind::kExited; }
  bool signaled() const { return kind == Kind::kSignaled; }
  /// The shell convention: the code, or 128+N for a signal.
  int ShellStatus() const;
  /// "exited with status 3", "killed by signal 13 (SIGPIPE)".
  std::string Describe() const;
  bool operator==(const ExitStatus&) const = default;
};

/// "SIGPIPE" for 13; "signal 77" when unknown.
std::string SignalName(int sig);

/// Describes a shell-style status: "1", "141 (128 + SIGPIPE)".
std::string DescribeShellStatus(int status);

}  // namespace ipclab
