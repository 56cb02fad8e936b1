#include "core/suggest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ipclab {
namespace {

using ::testing::ElementsAre;

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("two-stages", "two-stage"), 1u);
  EXPECT_EQ(EditDistance("sigpipe-yes-head", "sigpipe-yse-head"), 2u);
}

TEST(ClosestTest, NearestFirstTiesInOrderAtMostCount) {
  const std::vector<std::string> ids = {"two-stages", "three-stages",
                                        "sigpipe-yes-head", "two-stage-fds"};
  EXPECT_THAT(Closest("two-stagse", ids, 2),
              ElementsAre("two-stages", "two-stage-fds"));
  EXPECT_THAT(Closest("sigpipe-yes-haed", ids, 1),
              ElementsAre("sigpipe-yes-head"));
  EXPECT_THAT(Closest("x", {}, 3), ElementsAre());
}

TEST(JoinNamesTest, ListsWithCommasAndAnd) {
  EXPECT_EQ(JoinNames({}), "");
  EXPECT_EQ(JoinNames({"a"}), "a");
  EXPECT_EQ(JoinNames({"a", "b"}), "a and b");
  EXPECT_EQ(JoinNames({"a", "b", "c"}), "a, b and c");
}

}  // namespace
}  // namespace ipclab
