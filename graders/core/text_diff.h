// Explains how two outputs differ, for a student: a line diff for text, the
// first differing byte with context for binary data or huge outputs.
#pragma once

#include <string>
#include <string_view>

namespace ipclab {

/// Empty when equal. Otherwise a few lines a student can read: sizes, a
/// unified-style line diff ("-expected", "+yours") or the first differing
/// offset with a hex view around it.
std::string DescribeDifference(std::string_view expected,
                               std::string_view actual);

/// A short, printable preview of some output: "hello\n" shown as text,
/// binary data summarised ("4096 bytes of binary data, starting 7f 45 ...").
std::string Preview(std::string_view bytes, std::size_t max_lines = 20);

}  // namespace ipclab
