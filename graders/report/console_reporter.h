// The report a student reads in a terminal: one aligned line per test as it
// finishes, the evidence under each test that did not pass, and the score as
// the very last line (so `tail -1` and CI logs show it).
#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/reporter.h"
#include "report/cause_groups.h"
#include "report/console_block.h"

namespace ipclab {

struct ConsoleOptions {
  bool color = false;    // ANSI colours on the outcome marks.
  bool verbose = false;  // Show every block in full instead of capped.
};

/// Whether to colour output written to `out`: ChooseColor
/// (report/color_choice.h) with whether `out` is a terminal and the
/// environment (NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE, GITHUB_ACTIONS, TERM).
bool ShouldUseColor(std::FILE* out);

/// The decision with only NO_COLOR and TERM set (null when unset).
bool ShouldUseColor(bool is_terminal, const char* no_color, const char* term);

class ConsoleReporter : public Reporter {
 public:
  /// Writes to `out`, which must stay open for the reporter's lifetime.
  ConsoleReporter(std::FILE* out, ConsoleOptions options);

  void OnRunStart(const RunInfo& info) override;
  void OnTestEnd(const TestResult& result) override;
  /// Fails only if writing to `out` failed at some point, for another
  /// reason than its reader going away.
  Status OnRunEnd(const RunSummary& summary) override;

  /// True once a write failed with EPIPE: whoever read `out` (`| head`) has
  /// gone, so nothing more is written, as with any filter whose reader
  /// left. Safe to call from any thread.
  bool ReaderGone() const { return reader_gone_; }

 private:
  void Write(std::string_view text);
  std::string Paint(std::string_view text, std::string_view ansi_color) const;
  std::string GroupBlock(const CauseGroup& group, bool first_group) const;
  std::string TestBlock(const TestResult& result) const;
  BlockLimits Limits() const;

  std::FILE* out_;
  ConsoleOptions options_;
  std::atomic<bool> reader_gone_{false};
};

}  // namespace ipclab
