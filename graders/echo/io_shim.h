// The grader's side of libipclab-io-shim.so (shim/io_shim.cc): which tests
// preload it, what it did during a run, and whether it could reach the
// server at all.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace ipclab {

/// What a test asks the shim to inject (lab.yaml: `inject:`).
struct Injection {
  bool short_writes = false;
  bool eintr = false;
  bool any() const { return short_writes || eintr; }
};

/// Parses ["short-writes", "eintr"]; an error names a bad entry.
Result<Injection> ParseInjection(const std::vector<std::string>& names);

/// LD_PRELOAD and the shim's settings, with the counters kept in
/// `counts_file` (removed first, so that only this run counts).
std::vector<std::string> InjectionEnvironment(
    const Injection& injection, const std::filesystem::path& helpers,
    const std::filesystem::path& counts_file);

/// What the shim counted; nullopt if it never ran (nothing was written).
struct InjectionCounts {
  long loaded = 0;
  long short_writes = 0;
  long eintrs = 0;
};
std::optional<InjectionCounts> ReadInjectionCounts(
    const std::filesystem::path& counts_file);

/// "The grader made ... ; POSIX allows both ...": for a failure's sections.
std::string DescribeInjection(const Injection& injection,
                              const InjectionCounts& counts);

/// True if `exe` is an ELF executable without a program interpreter: a
/// statically linked program, which LD_PRELOAD cannot reach.
bool IsStaticallyLinked(const std::filesystem::path& exe);

}  // namespace ipclab
