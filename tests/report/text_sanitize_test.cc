#include "report/text_sanitize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace ipclab {
namespace {

using namespace std::string_literals;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kFffd = "\xEF\xBF\xBD";

TEST(ValidUtf8Test, KeepsValidTextUnchanged) {
  const std::string text =
      "ascii, caf\xC3\xA9, \xE2\x9C\x93, emoji \xF0\x9F\x98\x80";
  EXPECT_EQ(ValidUtf8(text), text);
  EXPECT_EQ(ValidUtf8("tab\tnl\ncr\resc\x1b"), "tab\tnl\ncr\resc\x1b");
}

TEST(ValidUtf8Test, ReplacesEachKindOfInvalidSequence) {
  // A stray continuation byte, and bytes that never occur in UTF-8.
  EXPECT_EQ(ValidUtf8("a\x80z"), "a" + kFffd + "z");
  EXPECT_EQ(ValidUtf8("\xFF\xFE"), kFffd + kFffd);
  EXPECT_EQ(ValidUtf8("\xF5\x80\x80\x80"), kFffd + kFffd + kFffd + kFffd);
  // A truncated sequence is one maximal subpart: one replacement.
  EXPECT_EQ(ValidUtf8("\xE2\x9C("), kFffd + "(");
  EXPECT_EQ(ValidUtf8("\xF0\x9F\x98"), kFffd);
  EXPECT_EQ(ValidUtf8("end \xC3"), "end " + kFffd);
  // Overlong forms of '/' (2 and 3 bytes) and of U+FFFF (4 bytes).
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kFffd + kFffd);
  EXPECT_EQ(ValidUtf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ValidUtf8("\xF0\x8F\xBF\xBF"), kFffd + kFffd + kFffd + kFffd);
  // UTF-16 surrogates encoded as UTF-8 (CESU-8), and a code point above
  // U+10FFFF.
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ValidUtf8("\xED\xBF\xBF"), kFffd + kFffd + kFffd);
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);
}

TEST(ValidUtf8Test, KeepsBoundaryCodePoints) {
  const std::string edges =
      "\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
      "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  EXPECT_EQ(ValidUtf8(edges), edges);
}

TEST(XmlSafeTest, EscapesControlCharactersVisibly) {
  EXPECT_EQ(XmlSafe("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(XmlSafe("bell\a"), "bell\\x07");
  EXPECT_EQ(XmlSafe("nul"s + '\0' + "after"), "nul\\x00after");
  EXPECT_EQ(XmlSafe("\x01\x1f"), "\\x01\\x1f");
}

TEST(XmlSafeTest, KeepsWhitespaceAndLegalControls) {
  EXPECT_EQ(XmlSafe("a\tb\nc\rd"), "a\tb\nc\rd");
  // DEL and C1 controls are XML 1.0 Chars.
  EXPECT_EQ(XmlSafe("del\x7f nel\xC2\x85"), "del\x7f nel\xC2\x85");
}

TEST(XmlSafeTest, ReplacesNoncharactersAndInvalidUtf8) {
  EXPECT_EQ(XmlSafe("\xEF\xBF\xBE"), kFffd);  // U+FFFE
  EXPECT_EQ(XmlSafe("\xEF\xBF\xBF"), kFffd);  // U+FFFF
  EXPECT_EQ(XmlSafe("\xED\xA0\x80"), kFffd + kFffd + kFffd);
  EXPECT_EQ(XmlSafe("\xC0\xAF"), kFffd + kFffd);
  // U+FFFD itself and supplementary planes stay.
  EXPECT_EQ(XmlSafe(kFffd + "\xF0\x9F\x98\x80"), kFffd + "\xF0\x9F\x98\x80");
}

TEST(XmlSafeTest, LeavesMarkupToTheSerializer) {
  // Escaping '&', '<' and "]]>" is the XML writer's job; doing it here too
  // would show students "&amp;amp;".
  EXPECT_EQ(XmlSafe("]]> &<>\"'"), "]]> &<>\"'");
}

TEST(JsonSafeTest, KeepsControlsForTheSerializer) {
  const std::string text = "nul"s + '\0' + " esc\x1b ok";
  EXPECT_EQ(JsonSafe(text), text);
  EXPECT_EQ(JsonSafe("bad\xFF"), "bad" + kFffd);
  EXPECT_EQ(JsonSafe("\xEF\xBF\xBE"), "\xEF\xBF\xBE");  // Legal in JSON.
}

TEST(TerminalSafeTest, EscapesEverythingATerminalActsOn) {
  EXPECT_EQ(TerminalSafe("\x1b[2J\a\r\b"), "\\x1b[2J\\x07\\x0d\\x08");
  EXPECT_EQ(TerminalSafe("nul"s + '\0'), "nul\\x00");
  EXPECT_EQ(TerminalSafe("del\x7f"), "del\\x7f");
  EXPECT_EQ(TerminalSafe("csi\xC2\x9B"
                         "31m"),
            "csi\\u009b31m");
  EXPECT_EQ(TerminalSafe("keep\tthis\nline caf\xC3\xA9"),
            "keep\tthis\nline caf\xC3\xA9");
  EXPECT_EQ(TerminalSafe("\xFF"), kFffd);
}

TEST(TruncateTest, ReturnsShortInputUnchanged) {
  EXPECT_EQ(Truncate("hello", 5), "hello");
  EXPECT_EQ(Truncate("", 0), "");
}

// Splits Truncate's output into head, hidden byte count and tail; `hidden`
// is -1 when there is no marker.
struct Parts {
  std::string head;
  long hidden = -1;
  std::string tail;
};

Parts SplitAtMarker(const std::string& cut) {
  const std::string open = "\n[... ";
  const std::string close = " bytes not shown ...]\n";
  const std::size_t start = cut.find(open);
  if (start == std::string::npos) return {cut, -1, ""};
  const std::size_t end = cut.find(close, start);
  if (end == std::string::npos) return {cut, -1, ""};
  return {cut.substr(0, start),
          std::stol(cut.substr(start + open.size(), end - start - open.size())),
          cut.substr(end + close.size())};
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(TruncateTest, KeepsHeadAndTailAroundAMarker) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  const std::string cut = Truncate(text, 200);
  EXPECT_LE(cut.size(), 200u);
  const Parts parts = SplitAtMarker(cut);
  ASSERT_GE(parts.hidden, 0) << cut;
  EXPECT_TRUE(StartsWith(text, parts.head));
  EXPECT_TRUE(EndsWith(text, parts.tail));
  EXPECT_TRUE(StartsWith(parts.head, "line 0\nline 1\n"));
  EXPECT_TRUE(EndsWith(parts.tail, "line 999\n"));
  // Cut at line ends: the marker sits on a line of its own between whole
  // lines.
  EXPECT_FALSE(EndsWith(parts.head, "\n"));
  EXPECT_EQ(text[parts.head.size()], '\n');
  EXPECT_TRUE(StartsWith(parts.tail, "line "));
  EXPECT_EQ(text[text.size() - parts.tail.size() - 1], '\n');
  // The marker says exactly how much is missing.
  EXPECT_EQ(parts.head.size() + static_cast<std::size_t>(parts.hidden) +
                parts.tail.size(),
            text.size());
}

TEST(TruncateTest, CutsOnlyOnCharacterBoundaries) {
  // Mixed 1-, 2-, 3- and 4-byte characters; every limit must give valid
  // UTF-8 that fits and is made of a prefix and a suffix of the input.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "a\xC3\xA9\xE2\x9C\x93\xF0\x9F\x98\x80";
  }
  for (std::size_t limit = 0; limit <= text.size() + 1; ++limit) {
    const std::string cut = Truncate(text, limit);
    ASSERT_LE(cut.size(), limit) << "limit " << limit;
    ASSERT_EQ(ValidUtf8(cut), cut) << "limit " << limit;
    const Parts parts = SplitAtMarker(cut);
    ASSERT_TRUE(StartsWith(text, parts.head)) << "limit " << limit;
    ASSERT_TRUE(EndsWith(text, parts.tail)) << "limit " << limit;
    if (limit >= 40 && limit < text.size()) {
      ASSERT_GE(parts.hidden, 0) << "limit " << limit;
      ASSERT_EQ(parts.head.size() + static_cast<std::size_t>(parts.hidden) +
                    parts.tail.size(),
                text.size());
    }
  }
}

TEST(Utf8PrefixTest, NeverSplitsACharacter) {
  const std::string text = "a\xF0\x9F\x98\x80z";
  EXPECT_EQ(Utf8Prefix(text, 1), "a");
  EXPECT_EQ(Utf8Prefix(text, 2), "a");
  EXPECT_EQ(Utf8Prefix(text, 4), "a");
  EXPECT_EQ(Utf8Prefix(text, 5), "a\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8Prefix(text, 100), text);
}

TEST(OneLineTest, JoinsLinesAndCapsLength) {
  EXPECT_EQ(OneLine("first\nsecond\r\n\tthird\n", 100), "first second third");
  EXPECT_EQ(OneLine("abcdefghij", 8), "abcde...");
  EXPECT_EQ(OneLine("abcdefgh", 8), "abcdefgh");
  EXPECT_EQ(OneLine("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6), "\xC3\xA9...");
  const std::string huge(1'000'000, 'x');
  EXPECT_EQ(OneLine(huge, 200).size(), 200u);
}

TEST(SanitizersTest, NeverLeakInvalidBytesFromHostileInput) {
  // Every byte value in every position of a short window.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  all += all;
  for (const std::string& out :
       {ValidUtf8(all), XmlSafe(all), JsonSafe(all), TerminalSafe(all)}) {
    EXPECT_EQ(ValidUtf8(out), out);
  }
  EXPECT_THAT(XmlSafe(all), Not(HasSubstr("\xEF\xBF\xBE")));
  EXPECT_EQ(XmlSafe(all).find('\0'), std::string::npos);
  EXPECT_EQ(TerminalSafe(all).find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace ipclab
