// Explains a pipeline that hangs: which process still holds which pipe end.
// Taken from /proc at the deadline, before anything is killed, so a student
// reads "your shell still holds fd 4, the write end of the pipe that `cat`
// reads" instead of a bare "timeout".
#pragma once

#include <sys/types.h>

#include <string>

namespace ipclab {

/// A report on `shell_pid` and every process below it. Empty when the shell
/// is already gone.
std::string ExplainHang(pid_t shell_pid);

}  // namespace ipclab
