#include "report/console_reporter.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/outcome.h"
#include "report/cause_groups.h"
#include "report/color_choice.h"
#include "report/console_block.h"
#include "report/explanation.h"
#include "report/number_format.h"
#include "report/student_view.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// Column widths. The longest mark is "TIMEOUT"; ids are short kebab-case
// names. A longer value only pushes its own line out of alignment.
constexpr std::size_t kMarkWidth = 9;
constexpr std::size_t kIdWidth = 32;
constexpr std::size_t kPointsWidth = 9;
constexpr std::size_t kTimeWidth = 9;

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
  // Tests not run because the build failed are said once, at the end.
  if (result.outcome == Outcome::kSkipped &&
      result.cause.id == kBuildFailedCause) {
    return;
  }
  const OutcomeInfo& info = Info(result.outcome);
  const std::string mark(info.mark);
  std::string line = Paint(mark, ColorOf(result.outcome));
  line.append(kMarkWidth > mark.size() ? kMarkWidth - mark.size() : 1, ' ');
  line += PadRight(TerminalSafe(OneLine(result.id, 200)), kIdWidth);
  line += PadLeft(
      FormatPoints(result.points) + "/" + FormatPoints(result.max_points),
      kPointsWidth);
  line += PadLeft(FormatFixed(result.seconds, 2) + "s", kTimeWidth);
  // The one-line reference to the test's cause; the explanation follows
  // the list, once per cause.
  if (info.is_failure && result.cause.known()) {
    line += "  " + TerminalSafe(OneLine(result.cause.id, 100));
  }
  Write(line + "\n");
}

std::string ConsoleReporter::GroupBlock(const CauseGroup& group,
                                        bool first_group) const {
  TestResult first = *group.tests.front();
  const std::string also = AlsoFound(group, 5);
  if (!also.empty()) first.sections.push_back({kAlsoFoundTitle, also});
  const BlockLimits limits = Limits();
  std::vector<std::string> header;
  std::string lead = Wrap(TerminalSafe(LeadLine(group, first_group)), "", "  ",
                          options_.verbose ? 1000000 : limits.wrap);
  lead.pop_back();
  header.push_back(Paint(lead, kRed));
  // The list above marks each of them with the cause's id.
  header.push_back("  They are marked " + TerminalSafe(group.cause.id) +
                   " in the list above.");
  std::string example =
      Wrap(TerminalSafe("The first of them, " + first.id + ": " +
                        OneLine(first.summary, 1000)),
           "  ", "    ", options_.verbose ? 1000000 : limits.wrap);
  example.pop_back();
  header.push_back(example);
  return RenderBlock(header, first, limits);
}

std::string ConsoleReporter::TestBlock(const TestResult& result) const {
  const BlockLimits limits = Limits();
  const std::string mark(Info(result.outcome).mark);
  std::string header = Paint(mark, ColorOf(result.outcome)) + " " +
                       TerminalSafe(OneLine(result.id, 200));
  if (!result.summary.empty()) {
    header += ": " + TerminalSafe(OneLine(result.summary, 1000));
  }
  std::string wrapped =
      Wrap(header, "", "  ", options_.verbose ? 1000000 : limits.wrap + 20);
  wrapped.pop_back();
  return RenderBlock({wrapped}, result, limits);
}

BlockLimits ConsoleReporter::Limits() const {
  BlockLimits limits;
  limits.verbose = options_.verbose;
  return limits;
}

// After the list: each shared cause once (the largest first), then every
// other failure in report order, then the tally and the score.
Status ConsoleReporter::OnRunEnd(const RunSummary& summary) {
  const std::vector<CauseGroup> groups = GroupByCause(summary.results);
  std::string out;
  for (const CauseGroup& g : groups) {
    out += "\n" + GroupBlock(g, &g == &groups.front());
  }
  std::size_t build_skipped = 0;
  for (const TestResult& r : summary.results) {
    if (r.outcome == Outcome::kSkipped && r.cause.id == kBuildFailedCause) {
      ++build_skipped;
    } else if (Info(r.outcome).is_failure && GroupOf(groups, r) == nullptr) {
      out += "\n" + TestBlock(r);
    }
  }
  if (build_skipped > 0) {
    out +=
        "\n" + Plural(build_skipped, "test") + " not run: the build failed.\n";
  }
  out += "\n" + TallyText(Count(summary.results)) +
         "\nScore: " + FormatPoints(summary.points) + "/" +
         FormatPoints(summary.max_points) + "\n";
  if (summary.withheld > 0) out += WithheldText(summary.withheld) + "\n";
  Write(out);
  if (std::ferror(out_) && !reader_gone_) {
    return Error{"cannot write the console report: output stream error"};
  }
  return {};
}

}  // namespace ipclab
