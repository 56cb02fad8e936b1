#include "core/deadline.h"

#include <gtest/gtest.h>

namespace ipclab {
namespace {

using std::chrono::milliseconds;
using Seconds = std::chrono::duration<double>;

TEST(DeadlineTest, FastReferenceGetsTheFloor) {
  EXPECT_EQ(DeadlineFromReference(Seconds(0.003), milliseconds(10000)),
            milliseconds(2000));
}

TEST(DeadlineTest, SlowReferenceGetsItsMultiple) {
  EXPECT_EQ(DeadlineFromReference(Seconds(0.5), milliseconds(10000)),
            milliseconds(5000));
}

TEST(DeadlineTest, TheTestTimeoutIsTheCeiling) {
  EXPECT_EQ(DeadlineFromReference(Seconds(4.0), milliseconds(10000)),
            milliseconds(10000));
  EXPECT_EQ(DeadlineFromReference(Seconds(0.0), milliseconds(500)),
            milliseconds(500));
}

TEST(DeadlineTest, PolicyIsHonoured) {
  DeadlinePolicy policy{.multiple = 3.0, .floor = milliseconds(100)};
  EXPECT_EQ(DeadlineFromReference(Seconds(1.0), milliseconds(10000), policy),
            milliseconds(3000));
}

}  // namespace
}  // namespace ipclab
