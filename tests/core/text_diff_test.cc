#include "core/text_diff.h"

#include <gtest/gtest.h>

namespace ipclab {
namespace {

TEST(TextDiffTest, EqualOutputsHaveNoDifference) {
  EXPECT_EQ(DescribeDifference("a\nb\n", "a\nb\n"), "");
}

TEST(TextDiffTest, LineDiffMarksMissingAndExtraLines) {
  std::string d = DescribeDifference("one\ntwo\nthree\n", "one\n2\nthree\n");
  EXPECT_NE(d.find("-  two"), std::string::npos) << d;
  EXPECT_NE(d.find("+  2"), std::string::npos) << d;
  EXPECT_NE(d.find("   one"), std::string::npos) << d;
}

TEST(TextDiffTest, MissingFinalNewlineIsVisible) {
  std::string d = DescribeDifference("x\n", "x");
  EXPECT_NE(d.find("(no newline at the end)"), std::string::npos) << d;
}

TEST(TextDiffTest, BinaryDataShowsTheFirstDifferingByte) {
  std::string a(100000, '\0'), b = a;
  b[70000] = '\x7f';
  std::string d = DescribeDifference(a, b);
  EXPECT_NE(d.find("first difference is at byte 70000"), std::string::npos)
      << d;
  EXPECT_NE(d.find("7f"), std::string::npos) << d;
}

TEST(TextDiffTest, TruncatedOutputSaysItStopsEarly) {
  std::string d =
      DescribeDifference(std::string(5000, 'a') + "\n", std::string(100, 'a'));
  EXPECT_NE(d.find("expected 5001 bytes, got 100 bytes"), std::string::npos);
}

TEST(TextDiffTest, PreviewSummarisesBinaryAndLongText) {
  EXPECT_EQ(Preview(""), "(nothing)");
  EXPECT_NE(Preview(std::string("\x01\x02", 2)).find("binary"),
            std::string::npos);
  std::string many;
  for (int i = 0; i < 50; ++i) many += "line\n";
  EXPECT_NE(Preview(many, 5).find("45 more lines"), std::string::npos);
}

}  // namespace
}  // namespace ipclab
