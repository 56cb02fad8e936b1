#include "core/text_diff.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace ipclab {
namespace {

bool LooksBinary(std::string_view s) {
  std::size_t n = std::min<std::size_t>(s.size(), 4096);
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = s[i];
    if (c == 0 || (c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
      return true;
  }
  return false;
}

std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> lines;
  while (!s.empty()) {
    auto nl = s.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(s);
      break;
    }
    lines.push_back(s.substr(0, nl + 1));
    s.remove_prefix(nl + 1);
  }
  return lines;
}

std::string Hex(std::string_view s, std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t i = from; i < std::min(s.size(), from + count); ++i) {
    char b[4];
    std::snprintf(b, sizeof b, "%02x ", static_cast<unsigned char>(s[i]));
    out += b;
  }
  if (out.empty()) return "(end of output)";
  out.pop_back();
  return out;
}

std::string ShowLine(std::string_view line) {
  std::string out(line);
  if (!out.empty() && out.back() == '\n') {
    out.pop_back();
  } else {
    out += "  (no newline at the end)";
  }
  return out;
}

// Line diff by LCS over a bounded window: outputs in these labs are small
// when they are text; big or binary ones take the byte path below.
std::string LineDiff(std::string_view expected, std::string_view actual) {
  auto a = Lines(expected), b = Lines(actual);
  std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1
                               : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out;
  int shown = 0;
  std::size_t i = 0, j = 0;
  while ((i < n || j < m) && shown < 40) {
    if (i < n && j < m && a[i] == b[j]) {
      out += "   " + ShowLine(a[i]) + "\n";
      ++i, ++j;
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out += "+  " + ShowLine(b[j++]) + "\n";
      ++shown;
    } else {
      out += "-  " + ShowLine(a[i++]) + "\n";
      ++shown;
    }
  }
  if (i < n || j < m) out += "   ... (more differences not shown)\n";
  return "Lines marked '-' were expected but missing; lines marked '+' are "
         "in your output but should not be:\n" +
         out;
}

}  // namespace

std::string DescribeDifference(std::string_view expected,
                               std::string_view actual) {
  if (expected == actual) return {};
  std::string head = "expected " + std::to_string(expected.size()) +
                     " bytes, got " + std::to_string(actual.size()) +
                     " bytes.\n";
  const bool small =
      Lines(expected).size() <= 400 && Lines(actual).size() <= 400;
  if (small && !LooksBinary(expected) && !LooksBinary(actual)) {
    return head + LineDiff(expected, actual);
  }
  std::size_t at = 0;
  while (at < expected.size() && at < actual.size() &&
         expected[at] == actual[at]) {
    ++at;
  }
  std::size_t from = at >= 8 ? at - 8 : 0;
  std::string out = head + "The first " + std::to_string(at) +
                    " bytes are equal; the first difference is at byte " +
                    std::to_string(at) + ".\n";
  out += "  expected (from byte " + std::to_string(from) +
         "): " + Hex(expected, from, 24) + "\n";
  out += "  yours    (from byte " + std::to_string(from) +
         "): " + Hex(actual, from, 24) + "\n";
  if (at == actual.size()) {
    out += "Your output stops early: data was lost, or a stage was cut off.\n";
  }
  return out;
}

std::string Preview(std::string_view bytes, std::size_t max_lines) {
  if (bytes.empty()) return "(nothing)";
  if (LooksBinary(bytes)) {
    return std::to_string(bytes.size()) +
           " bytes of binary data, starting: " + Hex(bytes, 0, 16);
  }
  auto lines = Lines(bytes);
  std::string out;
  for (std::size_t i = 0; i < std::min(lines.size(), max_lines); ++i) {
    out += ShowLine(lines[i]) + "\n";
  }
  if (lines.size() > max_lines) {
    out += "... (" + std::to_string(lines.size() - max_lines) +
           " more lines, " + std::to_string(bytes.size()) + " bytes in all)\n";
  }
  return out;
}

}  // namespace ipclab
