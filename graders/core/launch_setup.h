// The pieces of a launch that run nothing, each testable alone: where the
// program is, how ipclab-init is asked to run it, where its standard input
// comes from, and what ipclab-init's status file says.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/launcher.h"

namespace ipclab {

/// `name` looked up in the PATH of `env` (the default PATH if it has none);
/// empty if no executable regular file is found.
std::string FindInPath(const std::string& name,
                       const std::vector<std::string>& env);

/// ipclab-init's arguments: the status file, the limits, then `--` and the
/// program (`exe`, already resolved) with its arguments.
std::vector<std::string> InitArgs(const LaunchSpec& spec,
                                  const std::string& status_path,
                                  const std::string& exe);

/// The program's standard input: a file, the read end of a pipe whose write
/// end (`feed`) the grader keeps to feed bytes or let a driver write, or
/// /dev/null. Both fds are close-on-exec; `feed` is -1 without a pipe.
struct StdinSource {
  int child = -1;
  int feed = -1;
};
Result<StdinSource> OpenStdin(const LaunchSpec& spec);

/// Reads what ipclab-init wrote: the main process's status, the process
/// limit, CPU time, strays. `complete` is set once the final "end" line is
/// there (init reported in full).
void ParseStatusFile(const std::string& path, LaunchResult* r, bool* complete);

/// Settles the one termination (see launcher.h for the order) and records
/// what was enforced. ParseStatusFile has already set kNotStarted or
/// kProcessLimit, which come first.
void Conclude(const LaunchSpec& spec, std::optional<Termination> cut_short,
              bool stopped, LaunchResult* r);

}  // namespace ipclab
