// Running a shell (the student's or the reference) on one script, the same
// way for both, so their behaviour can be compared byte for byte.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/launcher.h"

namespace ipclab {

/// The umask every shell runs with, so that the modes of the files it
/// creates are known: `>` must create 0666 & ~umask. 002 tells 0644 and
/// 0755 apart from the 0664 a correct shell gives.
constexpr mode_t kPshUmask = 002;

struct PshInvocation {
  std::string script;
  bool script_via_stdin = false;  // Else: `psh SCRIPT`.
  std::string stdin_data;         // The commands' (or script's) input.
  /// Keep stdin open until a stage with this name has exited, then close it:
  /// makes "which stage finished last" deterministic.
  std::string hold_stdin_until_exit_of;
  std::chrono::milliseconds timeout{10000};
};

struct PshRun {
  LaunchResult result;
  std::filesystem::path dir;  // The run's working directory.
  std::string command;        // How to run it by hand.
  std::string hang_report;    // Filled when it timed out.
};

/// Runs `psh` in a fresh directory `dir` (created), with umask kPshUmask. The
/// helper programs are first on PATH, so scripts name them plainly
/// (`ipclab-emit 100 | wc -c`).
Result<PshRun> RunPsh(const std::filesystem::path& psh,
                      const std::filesystem::path& dir,
                      const std::filesystem::path& helpers,
                      const PshInvocation& inv);

/// Deterministic binary test data with every byte value.
std::string TestBytes(std::size_t size);

}  // namespace ipclab
