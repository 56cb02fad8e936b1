// Shared pieces of the reporter tests: scratch directories, running external
// consumers, and the run summaries every reporter is tested with.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/shell_quote.h"
#include "core/test_result.h"

namespace ipclab::testing {

/// TEXT split at newlines (a last line without one still counts).
std::vector<std::string> Lines(const std::string& text);

/// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// An in-memory FILE* (open_memstream) for reporters that print.
class MemoryFile {
 public:
  MemoryFile();
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::FILE* get() { return file_; }
  /// Everything written so far.
  std::string contents();

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_ = nullptr;
};

struct CommandResult {
  int exit_code = -1;  // -1 if it did not exit normally.
  std::string output;  // stdout and stderr, interleaved.
};

/// Runs `command` with /bin/sh and captures its output.
CommandResult RunCommand(const std::string& command);

/// `text` quoted for /bin/sh.
std::string ShellQuote(std::string_view text);

std::string ReadFile(const std::filesystem::path& path);

/// The XSD of the JUnit dialect we write (tests/report/schema).
std::filesystem::path JUnitSchemaPath();

/// Bytes a student's program may print that break naive reports: ANSI
/// escapes, BEL, NUL, a CDATA terminator, XML specials, invalid UTF-8
/// (stray byte, truncated and overlong sequences, an encoded surrogate),
/// the noncharacter U+FFFE, and valid text that must survive (é, an emoji).
std::string HostileBytes();

/// Marks the end of the 11 MB body: a report that keeps the tail shows it.
inline constexpr std::string_view kTailMarker = "TAIL-MARKER-OF-THE-FLOOD";
/// Only inside the hidden test's sections and hint: must never appear in a
/// student-facing report (report/student_view.h).
inline constexpr std::string_view kSecret = "SECRET-EXPECTED-OUTPUT";

/// Ten results covering every outcome, a partial credit, two hidden tests,
/// hostile student output and an 11 MB body. Score 7.5/20; 2 pass, 8 fail
/// (6 JUnit failures, 1 error, 1 skipped).
RunSummary HostileSummary();

/// The same results with plain ASCII output and no huge body.
RunSummary PlainSummary();

}  // namespace ipclab::testing
