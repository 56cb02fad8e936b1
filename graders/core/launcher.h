// Running untrusted programs: the one place that starts a student's (or the
// reference's) process. Everything that contains a run lives here: deadline,
// output caps, whole-tree kill, clean fds and signals, rlimits, and a decoded
// exit status.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/exit_status.h"

namespace ipclab {

/// rlimits that stop runaways without breaking a threaded program. No
/// RLIMIT_NPROC (root ignores it, and it counts every thread of the uid) and
/// no RLIMIT_AS by default (it counts 8 MiB per thread stack).
struct Limits {
  std::size_t open_files = 1024;
  std::size_t file_size = 256u << 20;  // Bytes one file may grow to.
  std::size_t address_space = 0;       // 0: unlimited.
  /// Processes the tree may hold at once (threads do not count); over it,
  /// the tree is killed and the result says so.
  std::size_t processes = 256;
};

class Running;

struct LaunchSpec {
  /// argv[0] without a '/' is looked up in the PATH of `env`.
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  /// The whole environment ("KEY=value"). Empty means ScrubbedEnvironment().
  std::vector<std::string> env;

  /// Standard input: bytes written then closed, or a file, or a pipe that
  /// `driver` writes to. With none of these, stdin is /dev/null.
  std::optional<std::string> stdin_bytes;
  std::filesystem::path stdin_file;
  /// Runs on its own thread while the program runs (a probe that feeds
  /// stdin step by step, watches /proc, or talks to a server). It must
  /// return once the program has finished (Finished / WaitFinished tell it),
  /// or after calling Running::Stop.
  std::function<void(Running&)> driver;

  std::size_t output_cap = 1u << 20;  // Per stream; over it the tree dies.
  std::chrono::milliseconds timeout{10000};
  Limits limits;
  /// Called at the deadline, before the tree is killed, with the pid of the
  /// student's main process: a probe can explain the hang from /proc.
  std::function<void(pid_t main_pid)> before_kill;
  /// When set, the program runs in a network namespace of its own, with
  /// only `lo` (up), and this value ("MIN DEFAULT MAX" bytes) written to
  /// net.ipv4.tcp_wmem and tcp_rmem there: socket buffers that cannot
  /// autotune to megabytes. Needs CAP_SYS_ADMIN; see PrivateNetworkUsable.
  std::string private_network;
};

/// A process left running (or unreaped) when the main program exited.
struct Stray {
  pid_t pid = 0;
  char state = '?';  // 'Z': exited but never waited for.
  std::string comm;
  std::string cmdline;
};

/// How a run ended: a closed set, and exactly one holds. The launcher
/// decides it, in this order: the program never started; a limit the
/// grader enforced (process limit, reported by ipclab-init; else whichever
/// of the deadline and the output cap acted first; memory); the driver's
/// Stop; else what the program did by itself. core/termination.h turns it
/// into the standard verdict and explanation.
enum class Termination {
  kExited,        // Exited by itself: status.code.
  kSignalled,     // Killed by a signal the grader did not send: status.signal.
  kNotStarted,    // exec failed; exec_error says why.
  kStopped,       // The driver ended the run (Running::Stop): how a server
                  // the test is done with ends.
  kDeadline,      // Still running at the deadline; the tree was killed.
  kOutputLimit,   // More than output_cap bytes on one stream; killed.
  kProcessLimit,  // More than limits.processes processes at once; killed.
  // More memory than allowed; killed. Not produced yet: the only memory
  // rlimit today (Limits::address_space) makes allocations fail inside the
  // program, which sees ENOMEM or std::bad_alloc and ends as it chooses, so
  // the launcher cannot tell. The planned sandbox's cgroup memory limit
  // reports its OOM kills (memory.events), and will set this.
  kMemoryLimit,
};

/// True for the terminations where the grader cut the run short because of
/// a limit: deadline, output, processes, memory.
bool EndedByLimit(Termination t);

struct LaunchResult {
  ExitStatus status;
  Termination termination = Termination::kExited;
  // The flags below predate `termination` and are set from it, in one place
  // (Launch): read `termination` in new code.
  bool timed_out = false;        // kDeadline
  bool output_limited = false;   // kOutputLimit
  bool exec_failed = false;      // kNotStarted
  bool stopped = false;          // kStopped
  bool process_limited = false;  // kProcessLimit
  std::string exec_error;
  /// What the launcher enforced on this run, for explanations that quote
  /// the real figures.
  std::chrono::milliseconds deadline{0};
  std::size_t output_cap = 0;
  Limits limits;
  std::string out, err;  // Kept bytes: at most output_cap each.
  std::size_t out_bytes = 0, err_bytes = 0;  // Bytes seen, kept or not.
  std::vector<Stray> strays;
  double seconds = 0;
  long long cpu_ms = 0;  // CPU time of the main program and what it waited for.
};

/// The handle a driver gets while the program runs.
class Running {
 public:
  virtual ~Running() = default;
  /// The student's main process; waits until it exists. 0 if the run ended
  /// before it could be seen.
  virtual pid_t MainPid() = 0;
  /// Writes to the program's stdin; fails (EPIPE) once nobody reads.
  virtual Status Write(std::string_view bytes) = 0;
  virtual void CloseStdin() = 0;
  virtual bool Finished() = 0;
  /// Waits until the program has finished or `limit` passed; true if done.
  virtual bool WaitFinished(std::chrono::milliseconds limit) = 0;
  /// What the program has printed on stdout so far (up to the cap).
  virtual std::string Stdout() = 0;
  /// Waits until `ready(stdout so far)` holds, the program finished, or
  /// `limit` passed; returns whether it holds. For readiness lines such as
  /// "listening on PORT".
  virtual bool WaitForStdout(
      const std::function<bool(const std::string&)>& ready,
      std::chrono::milliseconds limit) = 0;
  /// Sends a signal to the main process (not the tree).
  virtual Status Signal(int sig) = 0;
  /// Ends the run: the whole tree is killed, as at a deadline, but the
  /// result does not count as a timeout. For servers the driver is done with.
  virtual void Stop() = 0;
};

/// PATH, HOME, LANG=C, TERM=dumb: enough to run, nothing of the grader's.
std::vector<std::string> ScrubbedEnvironment();

/// Starts the program under ipclab-init and waits for it. An Error means the
/// grader could not run anything (no ipclab-init, fork failed); a program
/// that does not exist is a LaunchResult with exec_failed set.
Result<LaunchResult> Launch(const LaunchSpec& spec);

/// Whether LaunchSpec::private_network can work here (a network namespace
/// can be made and entered); otherwise an Error that says why not.
Status PrivateNetworkUsable();

}  // namespace ipclab
