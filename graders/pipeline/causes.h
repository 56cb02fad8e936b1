// The pipeline lab's known causes: the common mistakes that explain a
// finding, each with a stable id and the one hint for it. A finding names
// its cause; the report then gives this hint instead of the test's own, and
// groups the tests that fail for the same cause. The handout's table of
// common bugs (labs/pipeline/README.md) uses the same ids.
#pragma once

#include "core/test_result.h"

namespace ipclab::psh_causes {

/// Commands left as zombies or still running when the shell moved on.
Cause UnreapedChildren();
/// The shell kept a pipe end open after starting the commands.
Cause ParentHoldsPipeEnd();
/// A command started with a descriptor besides 0, 1, 2 that the shell did
/// not hold any more (the child kept it, or the shell's own file leaked).
Cause ChildExtraFds();
/// A command started with signals ignored or blocked.
Cause SignalsNotReset();
/// A killed command's status decoded without WIFSIGNALED/WTERMSIG.
Cause SignalStatus();

}  // namespace ipclab::psh_causes
