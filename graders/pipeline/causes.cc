#include "pipeline/causes.h"

namespace ipclab::psh_causes {

Cause UnreapedChildren() {
  return {"unreaped-children", "commands were never waited for",
          "Call waitpid() for every pid your shell started, not only the "
          "last one. A command that has exited stays a zombie until its "
          "parent waits for it (POSIX, waitpid), and the lab's contract is "
          "that psh waits for every command of a line before it reads the "
          "next. The line's status is still the last command's."};
}

Cause ParentHoldsPipeEnd() {
  return {"parent-holds-pipe-end", "your shell kept pipe ends open",
          "In the shell, close both ends of each pipe as soon as the "
          "commands that use them are started. A reader sees end-of-file "
          "only once every write end is closed, and a writer gets SIGPIPE "
          "only once every read end is closed, in every process (POSIX, "
          "pipe and write): an end left open in the shell keeps a pipeline "
          "from ending, and leaks one fd per line."};
}

Cause ChildExtraFds() {
  return {"child-extra-fds",
          "commands started with descriptors other than 0, 1 and 2",
          "In each child, after dup2() of a pipe end onto 0 or 1, close the "
          "original and every other pipe end; open the shell's own files "
          "(the script) with O_CLOEXEC. A descriptor left open survives "
          "exec (POSIX, exec), and a stray pipe end keeps a pipeline from "
          "ending."};
}

Cause SignalsNotReset() {
  return {"signals-not-reset",
          "commands started with signals ignored or "
          "blocked",
          "In the child, before execvp(), set every signal back to SIG_DFL "
          "and empty the mask with sigprocmask(). An ignored signal stays "
          "ignored across exec, and the mask is inherited (POSIX, exec): "
          "psh ignores SIGPIPE, so without the reset `yes | head -n 1` "
          "prints 'Broken pipe' errors."};
}

Cause SignalStatus() {
  return {"signal-status", "a killed command's status was decoded wrongly",
          "Decode the status from waitpid() with the macros of "
          "<sys/wait.h>: if WIFEXITED(s), the status is WEXITSTATUS(s); if "
          "WIFSIGNALED(s), it is 128 + WTERMSIG(s) (the lab's contract; "
          "SIGTERM gives 143). WEXITSTATUS of a killed command means "
          "nothing (POSIX, wait)."};
}

}  // namespace ipclab::psh_causes
