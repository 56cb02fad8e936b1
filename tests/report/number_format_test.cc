#include "report/number_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ipclab {
namespace {

TEST(FormatFixedTest, AlwaysHasExactlyTheAskedDecimals) {
  EXPECT_EQ(FormatFixed(0.1, 3), "0.100");
  EXPECT_EQ(FormatFixed(0.1 + 0.2, 3), "0.300");
  EXPECT_EQ(FormatFixed(1e-5, 3), "0.000");
  EXPECT_EQ(FormatFixed(12.3456, 3), "12.346");
  EXPECT_EQ(FormatFixed(1234567.0, 3), "1234567.000");
  EXPECT_EQ(FormatFixed(0.125, 2), "0.12");  // Round half to even on ties.
}

TEST(FormatFixedTest, NeverPrintsNegativeZeroOrNonNumbers) {
  EXPECT_EQ(FormatFixed(-0.0, 3), "0.000");
  EXPECT_EQ(FormatFixed(-0.0001, 3), "0.000");
  EXPECT_EQ(FormatFixed(std::nan(""), 3), "0.000");
  EXPECT_EQ(FormatFixed(std::numeric_limits<double>::infinity(), 2), "0.00");
}

TEST(FormatPointsTest, DropsTrailingZeros) {
  EXPECT_EQ(FormatPoints(20), "20");
  EXPECT_EQ(FormatPoints(7.5), "7.5");
  EXPECT_EQ(FormatPoints(0), "0");
  EXPECT_EQ(FormatPoints(1.0 / 3.0), "0.33");
  EXPECT_EQ(FormatPoints(0.1 + 0.2), "0.3");
  EXPECT_EQ(FormatPoints(100), "100");
  EXPECT_EQ(FormatPoints(-0.0), "0");
}

TEST(RoundForJsonTest, RoundsAndReplacesNonFinite) {
  EXPECT_EQ(RoundForJson(0.1 + 0.2), 0.3);
  EXPECT_EQ(RoundForJson(7.5), 7.5);
  EXPECT_EQ(RoundForJson(std::nan("")), 0.0);
  EXPECT_EQ(RoundForJson(-std::numeric_limits<double>::infinity()), 0.0);
}

}  // namespace
}  // namespace ipclab
