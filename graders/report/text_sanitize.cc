#include "report/text_sanitize.h"

#include <cstdio>

namespace ipclab {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// One step of a strict decoder: the code point at `pos` and its length, or
// `valid == false` and the length of the maximal invalid subpart (at least
// one byte), which the caller replaces with a single U+FFFD.
struct Decoded {
  char32_t code_point;
  std::size_t length;
  bool valid;
};

// Byte ranges follow Unicode Table 3-7 ("Well-Formed UTF-8 Byte Sequences"),
// which rules out overlong forms, surrogates and values above U+10FFFF by
// narrowing the range of the second byte.
Decoded DecodeAt(std::string_view s, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t trailing = 0;
  char32_t code_point = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trailing = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trailing = 2;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // Overlong below U+0800.
    if (lead == 0xED) high = 0x9F;  // Surrogates U+D800..U+DFFF.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trailing = 3;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // Overlong below U+10000.
    if (lead == 0xF4) high = 0x8F;  // Above U+10FFFF.
  } else {
    return {0, 1, false};  // C0, C1 (overlong leads), F5..FF, continuation.
  }
  std::size_t length = 1;
  for (std::size_t k = 0; k < trailing; ++k) {
    if (pos + length >= s.size()) return {0, length, false};
    const auto b = static_cast<unsigned char>(s[pos + length]);
    if (b < low || b > high) return {0, length, false};
    code_point = (code_point << 6) | (b & 0x3F);
    ++length;
    low = 0x80;
    high = 0xBF;
  }
  return {code_point, length, true};
}

void AppendHexEscape(std::string& out, char32_t value, bool unicode) {
  char buffer[16];
  const int n =
      std::snprintf(buffer, sizeof buffer, unicode ? "\\u%04x" : "\\x%02x",
                    static_cast<unsigned>(value));
  out.append(buffer, static_cast<std::size_t>(n));
}

// What each format makes of one valid code point (`bytes` is its UTF-8).
using Emitter = void (*)(std::string& out, char32_t code_point,
                         std::string_view bytes);

void EmitAsIs(std::string& out, char32_t, std::string_view bytes) {
  out += bytes;
}

void EmitForXml(std::string& out, char32_t cp, std::string_view bytes) {
  if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') {
    AppendHexEscape(out, cp, /*unicode=*/false);
  } else if (cp == 0xFFFE || cp == 0xFFFF) {
    out += kReplacement;  // Noncharacters outside the XML Char production.
  } else {
    out += bytes;
  }
}

void EmitForTerminal(std::string& out, char32_t cp, std::string_view bytes) {
  if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F) {
    AppendHexEscape(out, cp, /*unicode=*/false);
  } else if (cp >= 0x80 && cp <= 0x9F) {
    // Some terminals act on C1 controls (U+009B is CSI) even in UTF-8.
    AppendHexEscape(out, cp, /*unicode=*/true);
  } else {
    out += bytes;
  }
}

// Walks `in` with the strict decoder: invalid sequences become U+FFFD, valid
// code points go to `emit`.
std::string Sanitize(std::string_view in, Emitter emit) {
  std::string out;
  out.reserve(in.size());
  std::size_t pos = 0;
  while (pos < in.size()) {
    const Decoded d = DecodeAt(in, pos);
    if (d.valid) {
      emit(out, d.code_point, in.substr(pos, d.length));
    } else {
      out += kReplacement;
    }
    pos += d.length;
  }
  return out;
}

}  // namespace

std::string ValidUtf8(std::string_view in) { return Sanitize(in, &EmitAsIs); }

std::string XmlSafe(std::string_view in) { return Sanitize(in, &EmitForXml); }

std::string JsonSafe(std::string_view in) { return ValidUtf8(in); }

std::string TerminalSafe(std::string_view in) {
  return Sanitize(in, &EmitForTerminal);
}

std::string_view Utf8Prefix(std::string_view in, std::size_t max_bytes) {
  if (in.size() <= max_bytes) return in;
  std::size_t end = max_bytes;
  // A sequence has at most three continuation bytes; on invalid input there
  // is no boundary to find, so stop looking after three.
  for (int k = 0; k < 3 && end > 0 && IsContinuation(in[end]); ++k) --end;
  return in.substr(0, end);
}

std::string Truncate(std::string_view in, std::size_t max_bytes) {
  if (in.size() <= max_bytes) return std::string(in);
  auto marker = [](std::size_t hidden) {
    return "\n[... " + std::to_string(hidden) + " bytes not shown ...]\n";
  };
  // The marker for the whole input is at least as long as the real one, so
  // sizing the budget with it keeps the result within max_bytes.
  const std::size_t longest_marker = marker(in.size()).size();
  if (max_bytes <= longest_marker) {
    return std::string(Utf8Prefix(in, max_bytes));
  }
  const std::size_t budget = max_bytes - longest_marker;
  std::string_view head = Utf8Prefix(in, budget / 2);
  // Whole lines read better: end the head before a newline in its second
  // half (the marker supplies one), start the tail after a newline in its
  // first half.
  if (const std::size_t newline = head.rfind('\n');
      newline != std::string_view::npos && newline >= head.size() / 2) {
    head = head.substr(0, newline);
  }
  const std::size_t tail_size = budget - head.size();
  std::size_t tail_start = in.size() - tail_size;
  for (int k = 0;
       k < 3 && tail_start < in.size() && IsContinuation(in[tail_start]); ++k) {
    ++tail_start;
  }
  if (const std::size_t newline = in.find('\n', tail_start);
      newline != std::string_view::npos &&
      newline - tail_start < tail_size / 2) {
    tail_start = newline + 1;
  }
  std::string out(head);
  out += marker(tail_start - head.size());
  out += in.substr(tail_start);
  return out;
}

std::string OneLine(std::string_view in, std::size_t max_bytes) {
  std::string line;
  line.reserve(in.size() < max_bytes ? in.size() : max_bytes + 4);
  bool in_space_run = false;
  for (char c : in) {
    const bool breaks = c == '\n' || c == '\r' || c == '\t';
    if (breaks) {
      if (!in_space_run && !line.empty()) line += ' ';
      in_space_run = true;
      continue;
    }
    in_space_run = false;
    line += c;
    // Stop copying early: a summary may be a whole captured stream.
    if (line.size() > max_bytes) break;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (line.size() <= max_bytes) return line;
  constexpr std::string_view kEllipsis = "...";
  if (max_bytes <= kEllipsis.size()) {
    return std::string(Utf8Prefix(line, max_bytes));
  }
  std::string out(Utf8Prefix(line, max_bytes - kEllipsis.size()));
  out += kEllipsis;
  return out;
}

}  // namespace ipclab
