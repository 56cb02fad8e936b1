// Reads the reports that the helper `ipclab-fds` writes from inside a
// pipeline stage, and judges them: which fds the stage had, its signal
// state, and what its parent (the shell) had open and left unreaped.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/test_result.h"

namespace ipclab {

struct FdReport {
  std::string name;  // File name, e.g. "line7.fds".
  pid_t pid = 0, ppid = 0;
  struct Fd {
    int fd;
    std::string mode;
    std::string target;
  };
  std::vector<Fd> fds, parent_fds;
  unsigned long long sigign = 0, sigblk = 0;
  struct Sibling {
    pid_t pid;
    char state;
    std::string comm;
  };
  std::vector<Sibling> siblings;
  bool complete = false;  // The report ended with "end".
};

/// Every *.fds report under `dir`, ordered naturally (line2 before line10).
std::vector<FdReport> ReadFdReports(const std::filesystem::path& dir);

/// Which properties to check.
struct FdChecks {
  bool fds = false;       // Only 0, 1, 2 open in the stage.
  bool signals = false;   // Nothing ignored, nothing blocked.
  bool siblings = false;  // The shell has no other child (a one-stage line).
  bool growth = false;    // The shell's open fds do not grow line by line.
};

/// One thing wrong: a one-line headline, the explanation under it, and the
/// known mistake behind it (pipeline/causes.h), if there is one.
struct Problem {
  std::string headline;
  std::string detail;
  Cause cause = {};
};

/// Problems found; empty when all is well.
std::vector<Problem> CheckFdReports(const std::vector<FdReport>& reports,
                                    const FdChecks& checks);

}  // namespace ipclab
