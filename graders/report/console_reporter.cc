#include "report/console_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/outcome.h"
#include "report/color_choice.h"
#include "report/explanation.h"
#include "report/number_format.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// Column widths. The longest mark is "TIMEOUT"; ids are short kebab-case
// names. A longer value only pushes its own line out of alignment.
constexpr std::size_t kMarkWidth = 9;
constexpr std::size_t kIdWidth = 32;
constexpr std::size_t kPointsWidth = 9;
constexpr std::size_t kTimeWidth = 9;

// Without --verbose, a body shows at most this much; a student scrolling
// past 10,000 lines of their own output learns nothing from line 9,000.
constexpr std::size_t kMaxBodyLines = 60;
constexpr std::size_t kMaxBodyBytes = 4 * 1024;

constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kReset = "\x1b[0m";

// Colours follow the outcome table: the student's failures are red, what
// was not judged (grader error, skipped) is yellow.
std::string_view ColorOf(Outcome outcome) {
  switch (Info(outcome).junit) {
    case JUnitElement::kNone:
      return kGreen;
    case JUnitElement::kFailure:
      return kRed;
    case JUnitElement::kError:
    case JUnitElement::kSkipped:
      return kYellow;
  }
  return kYellow;
}

std::string PadRight(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string PadLeft(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

std::string Plural(std::size_t n, std::string_view noun) {
  std::string text = std::to_string(n) + " " + std::string(noun);
  if (n != 1) text += 's';
  return text;
}

// Prefixes every line; trailing newlines are dropped so no empty indented
// line is left at the end.
std::string Indent(std::string_view text, std::string_view prefix) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += prefix;
    out += text.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

bool ShouldUseColor(bool is_terminal, const char* no_color, const char* term) {
  ColorEnv env;
  env.no_color = no_color;
  env.term = term;
  return ChooseColor(is_terminal, env);
}

bool ShouldUseColor(std::FILE* out) {
  const int fd = out == nullptr ? -1 : ::fileno(out);
  return ChooseColor(fd >= 0 && ::isatty(fd) == 1, ColorEnvFromEnvironment());
}

ConsoleReporter::ConsoleReporter(std::FILE* out, ConsoleOptions options)
    : out_(out), options_(options) {}

void ConsoleReporter::Write(std::string_view text) {
  if (reader_gone_) return;
  errno = 0;
  std::fwrite(text.data(), 1, text.size(), out_);
  // Each line is progress the student is waiting for.
  std::fflush(out_);
  // SIGPIPE is ignored in the grader (it writes to students' stdin), so a
  // reader that left shows up here as EPIPE.
  if (std::ferror(out_) && errno == EPIPE) reader_gone_ = true;
}

std::string ConsoleReporter::Paint(std::string_view text,
                                   std::string_view ansi_color) const {
  if (!options_.color) return std::string(text);
  return std::string(ansi_color) + std::string(text) + std::string(kReset);
}

// Caps the raw body before sanitizing it, so an 11 MB body costs 4 KiB of
// work; the cap is rechecked on a character boundary.
std::string ConsoleReporter::RenderBody(std::string_view body) const {
  while (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  if (body.empty()) return "    (empty)\n";
  std::string_view shown = body;
  if (!options_.verbose) {
    std::size_t end = 0;
    for (std::size_t lines = 0; lines < kMaxBodyLines && end < body.size();
         ++lines) {
      const std::size_t newline = body.find('\n', end);
      end = newline == std::string_view::npos ? body.size() : newline + 1;
    }
    shown = Utf8Prefix(body.substr(0, end), kMaxBodyBytes);
    while (!shown.empty() && shown.back() == '\n') shown.remove_suffix(1);
  }
  std::string out = Indent(TerminalSafe(shown), "    ");
  if (shown.size() < body.size()) {
    const std::size_t total_lines =
        static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) +
        1;
    // A line counts as shown only if it was shown up to its end.
    std::size_t full_lines =
        static_cast<std::size_t>(std::count(shown.begin(), shown.end(), '\n'));
    if (body[shown.size()] == '\n') ++full_lines;
    out += "    [... " + std::to_string(total_lines - full_lines) + " of " +
           Plural(total_lines, "line") + " (" +
           std::to_string(body.size() - shown.size()) +
           " bytes) not shown; --verbose shows all]\n";
  }
  return out;
}

void ConsoleReporter::OnRunStart(const RunInfo& info) {
  std::string line = "Grading " + TerminalSafe(info.lab);
  if (!info.lab_title.empty()) {
    line += " (" + TerminalSafe(info.lab_title) + ")";
  }
  line += ": " + TerminalSafe(info.subject) + " \u2014 " +
          Plural(info.test_count, "test") + ", " +
          FormatPoints(info.max_points) +
          (info.max_points == 1 ? " point" : " points") + "\n";
  Write(line);
}

void ConsoleReporter::OnTestEnd(const TestResult& result) {
  const OutcomeInfo& info = Info(result.outcome);
  const std::string mark(info.mark);
  std::string line = Paint(mark, ColorOf(result.outcome));
  line.append(kMarkWidth > mark.size() ? kMarkWidth - mark.size() : 1, ' ');
  line += PadRight(TerminalSafe(OneLine(result.id, 200)), kIdWidth);
  line += PadLeft(
      FormatPoints(result.points) + "/" + FormatPoints(result.max_points),
      kPointsWidth);
  line += PadLeft(FormatFixed(result.seconds, 2) + "s", kTimeWidth);
  line += '\n';
  if (info.is_failure) {
    if (!result.summary.empty()) {
      line +=
          Indent(TerminalSafe(OneLine(result.summary, kMaxBodyBytes)), "  ");
    }
    if (result.visibility == Visibility::kHidden) {
      line += "  " + std::string(kHiddenDetailsNote) + "\n";
    } else {
      for (const Section& section : result.sections) {
        line += "  " + TerminalSafe(OneLine(section.title, 200)) + ":\n";
        line += RenderBody(section.body);
      }
      if (!result.hint.empty()) {
        line += Indent(TerminalSafe("Hint: " + result.hint), "  ");
      }
      if (!result.rerun.empty()) {
        line += "  Rerun: " + TerminalSafe(OneLine(result.rerun, 1000)) + "\n";
      }
    }
  }
  Write(line);
}

Status ConsoleReporter::OnRunEnd(const RunSummary& summary) {
  std::size_t failed = 0;
  for (const TestResult& r : summary.results) {
    if (Info(r.outcome).is_failure) ++failed;
  }
  const std::size_t passed = summary.results.size() - failed;
  Write("\n" + std::to_string(passed) + " passed, " + std::to_string(failed) +
        " failed\nScore: " + FormatPoints(summary.points) + "/" +
        FormatPoints(summary.max_points) + "\n");
  if (std::ferror(out_) && !reader_gone_) {
    return Error{"cannot write the console report: output stream error"};
  }
  return {};
}

}  // namespace ipclab
