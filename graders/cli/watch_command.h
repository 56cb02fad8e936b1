// `ipclab grade LAB --submission DIR --watch`: grades, then grades again
// each time a source file in DIR changes, the tests that failed last time
// first, then the rest. It waits on inotify, never polls.
#pragma once

#include "cli/commands.h"

namespace ipclab {

/// Runs until interrupted (Ctrl-C); returns 2 if DIR cannot be watched.
int WatchCommand(const GradeOptions& options);

}  // namespace ipclab
