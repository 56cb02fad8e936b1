// The pipeline's findings as a student reads them: each names its cause,
// fd lists go by number, long lists of like items are said short.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/short_list.h"
#include "pipeline/fd_report.h"

namespace ipclab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ShortListTest, KeepsAFewOfEachKindAndCountsTheRest) {
  std::vector<ListItem> items;
  for (int i = 0; i < 63; ++i) {
    items.push_back({"cat zombie", "pid " + std::to_string(100 + i) + " cat"});
  }
  items.push_back({"yes running", "pid 999 yes"});
  EXPECT_EQ(ShortList(items, "  "),
            "  pid 100 cat\n  pid 101 cat\n  pid 102 cat\n"
            "  ... and 60 more like this\n  pid 999 yes\n");
  EXPECT_EQ(ShortList({{"a", "one"}}, ""), "one\n");
}

FdReport Stage(std::string name, std::vector<int> fds) {
  FdReport r;
  r.name = std::move(name);
  r.complete = true;
  for (int fd : fds)
    r.fds.push_back({fd, "r", "pipe:[" + std::to_string(fd) + "]"});
  return r;
}

TEST(FindingsTest, ExtraFdsAreSortedByNumberAndBlameTheChild) {
  const auto problems = CheckFdReports(
      {Stage("line1.fds", {0, 1, 2, 100, 4, 10})}, {.fds = true});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].headline, HasSubstr("(fd 4, fd 10, fd 100)"));
  EXPECT_EQ(problems[0].cause.id, "child-extra-fds");
  EXPECT_THAT(problems[0].detail, Not(HasSubstr("your shell holds it")));
}

TEST(FindingsTest, AnExtraFdTheShellHoldsTooBlamesTheShell) {
  FdReport r = Stage("line1.fds", {0, 1, 2, 4});
  r.parent_fds.push_back({7, "r", "pipe:[4]"});
  const auto problems = CheckFdReports({r}, {.fds = true});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].cause.id, "parent-holds-pipe-end");
  EXPECT_THAT(problems[0].detail, HasSubstr("(your shell holds it too)"));
}

TEST(FindingsTest, LeftoverChildrenAreUnreapedAndSummarised) {
  FdReport r = Stage("line9.fds", {0, 1, 2});
  for (int i = 0; i < 10; ++i) r.siblings.push_back({200 + i, 'Z', "cat"});
  const auto problems = CheckFdReports({r}, {.siblings = true});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].cause.id, "unreaped-children");
  EXPECT_THAT(problems[0].detail, HasSubstr("... and 7 more like this"));
  EXPECT_THAT(problems[0].detail, Not(HasSubstr("pid 203")));
}

TEST(FindingsTest, ShellFdGrowthIsListedByNumber) {
  FdReport first = Stage("line1.fds", {0, 1, 2});
  FdReport last = Stage("line2.fds", {0, 1, 2});
  for (int fd : {100, 4, 10}) last.parent_fds.push_back({fd, "r", "pipe:[1]"});
  const auto problems = CheckFdReports({first, last}, {.growth = true});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].cause.id, "parent-holds-pipe-end");
  EXPECT_THAT(problems[0].detail, HasSubstr("  fd 4: the read end of a pipe "
                                            "(pipe:[1])\n  fd 10: the read end "
                                            "of a pipe (pipe:[1])\n  fd 100"));
}

}  // namespace
}  // namespace ipclab
