#include "report/console_block.h"

#include <algorithm>

#include "report/explanation.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

constexpr std::string_view kTryIt = "Try it yourself";

std::vector<std::string> SplitLines(std::string_view text) {
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A section's body as safe lines, each cut at the width; only the first
// `max_lines` are looked at, so a 10 MB body costs no more than its head.
struct Body {
  std::vector<std::string> lines;
  std::size_t total = 0;  // Lines in the whole body.
};

Body ReadBody(std::string_view raw, const BlockLimits& limits, bool cut_lines) {
  while (!raw.empty() && raw.back() == '\n') raw.remove_suffix(1);
  Body body;
  body.total =
      static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '\n')) + 1;
  std::string_view head = raw;
  if (!limits.verbose) head = Utf8Prefix(raw, limits.body_bytes);
  for (std::string& line : SplitLines(TerminalSafe(head))) {
    if (cut_lines && !limits.verbose && line.size() > limits.width) {
      const std::size_t cut = line.size() - limits.width;
      line = std::string(Utf8Prefix(line, limits.width)) + " [... " +
             std::to_string(cut) + " more characters]";
    }
    body.lines.push_back(std::move(line));
  }
  if (raw.empty()) body.lines = {"(empty)"};
  return body;
}

// Appends a section in at most `room` lines (title included); returns the
// lines it used and adds what it left out to `*cut`.
std::size_t AddSection(const Section& s, const BlockLimits& limits,
                       std::size_t room, std::string* out, std::size_t* cut) {
  // Commands to paste are never cut: a cut command does not work.
  const Body body = ReadBody(s.body, limits, s.title != kTryIt);
  if (room < 2) {
    *cut += body.total + 1;
    return 0;
  }
  *out += "  " + TerminalSafe(OneLine(s.title, 200)) + ":\n";
  std::size_t shown = std::min(body.lines.size(), room - 1);
  const bool partial = shown < body.total;
  if (partial && shown == room - 1) --shown;  // Room for the "..." line.
  for (std::size_t i = 0; i < shown; ++i) *out += "    " + body.lines[i] + "\n";
  if (partial) {
    *out += "    ...\n";
    *cut += body.total - shown;
  }
  return 1 + shown + (partial ? 1 : 0);
}

std::size_t CountLines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

std::string Wrap(std::string_view text, std::string_view first,
                 std::string_view rest, std::size_t width) {
  std::string out(first), line_start(first);
  std::size_t column = first.size();
  bool at_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\n') {
      ++i;
      continue;
    }
    std::size_t end = text.find_first_of(" \n", i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(i, end - i);
    if (!at_start && column + 1 + word.size() > width) {
      out += "\n";
      out += rest;
      column = rest.size();
      at_start = true;
    }
    if (!at_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    at_start = false;
    i = end;
  }
  return out + "\n";
}

std::string RenderBlock(const std::vector<std::string>& header,
                        const TestResult& result, const BlockLimits& limits) {
  std::string out;
  for (const std::string& line : header) out += line + "\n";
  std::string tail;  // Hint and rerun: always shown.
  if (!result.hint.empty()) {
    tail += Wrap(TerminalSafe(result.hint), "  Hint: ", "        ",
                 limits.verbose ? 1000000 : limits.wrap);
  }
  if (!result.rerun.empty()) {
    tail += "  Rerun: " + TerminalSafe(OneLine(result.rerun, 1000)) + "\n";
  }
  // "Try it yourself" is what the student does next: it gets its room
  // before the evidence does, and one line stays for the note on the cut.
  const std::size_t used = CountLines(out) + CountLines(tail) + 1;
  std::size_t room = limits.verbose || used >= limits.lines
                         ? (limits.verbose ? SIZE_MAX : 0)
                         : limits.lines - used;
  std::size_t cut = 0;
  std::string try_it;
  for (const Section& s : result.sections) {
    if (s.title == kTryIt) {
      room -= std::min(room, AddSection(s, limits, room, &try_it, &cut));
    }
  }
  for (const Section& s : result.sections) {
    if (s.title == kTryIt) continue;
    room -= std::min(room, AddSection(s, limits, room, &out, &cut));
  }
  out += try_it + tail;
  if (cut > 0) {
    out += "  [" + std::to_string(cut) +
           " lines not shown: add --verbose to the Rerun command to see "
           "them all]\n";
  }
  return out;
}

}  // namespace ipclab
