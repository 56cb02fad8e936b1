// Where a compiler's first error is, so CI can put an annotation on the
// student's file and line (JUnit `file`/`line`, GitHub `::error file=`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ipclab {

struct SourcePosition {
  std::string file;  // As the compiler printed it: relative to its directory.
  int line = 0;
};

/// The first "FILE:LINE:COL: error:" (or "fatal error:") line of GCC's or
/// Clang's output whose FILE is relative and stays inside the directory the
/// compiler ran in (a submission's own file, not a system header); nullopt
/// when there is none.
std::optional<SourcePosition> FirstCompilerError(std::string_view output);

}  // namespace ipclab
