#include "report/explanation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/text_sanitize.h"

namespace ipclab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TestResult FailedResult() {
  TestResult r;
  r.id = "pipe-two";
  r.outcome = Outcome::kFail;
  r.summary = "stdout differs at line 2";
  r.sections = {{"Command", "./sh -c 'ls | wc'"}, {"Actual stdout", "1\n2\n"}};
  r.hint = "Close the write end in the parent.";
  r.rerun = "ipclab run --test pipe-two";
  return r;
}

TEST(ExplainTest, TellsTheWholeStoryInOrder) {
  EXPECT_EQ(Explain(FailedResult(), &XmlSafe),
            "stdout differs at line 2\n"
            "\n"
            "Command:\n"
            "  ./sh -c 'ls | wc'\n"
            "\n"
            "Actual stdout:\n"
            "  1\n"
            "  2\n"
            "\n"
            "Hint: Close the write end in the parent.\n"
            "Rerun: ipclab run --test pipe-two\n");
}

// The JUnit body and the Gradescope output group tests by cause as the
// console does: the first test of a group tells the story, the others refer
// to it in one line.
TEST(ExplainTest, GroupsTestsWithOneCause) {
  const Cause cause{"unreaped-children", "commands were never waited for",
                    "Call waitpid() for every pid."};
  std::vector<TestResult> results(3);
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i].id = "t" + std::to_string(i);
    results[i].outcome = Outcome::kFail;
    results[i].summary = "left behind " + std::to_string(i);
    results[i].sections = {{"Script", "echo " + std::to_string(i)}};
    results[i].hint = cause.hint;
    results[i].rerun = "ipclab grade x --only t" + std::to_string(i);
    if (i < 2) results[i].cause = cause;
  }
  const std::vector<CauseGroup> groups = GroupByCause(results);
  ASSERT_EQ(groups.size(), 1u);
  const std::string first = Explain(results[0], &XmlSafe, {}, &groups);
  EXPECT_EQ(first.rfind("2 tests failed because commands were never waited "
                        "for (unreaped-children): fix this first.\n\n",
                        0),
            0u)
      << first;
  EXPECT_THAT(first, HasSubstr("The same cause in: t0, t1.\n"));
  EXPECT_THAT(first, HasSubstr("Script:\n  echo 0\n"));
  EXPECT_THAT(first, HasSubstr("Hint: Call waitpid() for every pid.\n"));
  const std::string second = Explain(results[1], &XmlSafe, {}, &groups);
  EXPECT_THAT(second, HasSubstr("left behind 1\n\nCause: unreaped-children, "
                                "shared by 2 tests; the explanation and the "
                                "hint are under t0.\nRerun: ipclab grade x "
                                "--only t1\n"));
  EXPECT_THAT(second, Not(HasSubstr("Script:")));
  EXPECT_THAT(second, Not(HasSubstr("Hint:")));
  // A test outside every group tells its whole story as before.
  EXPECT_EQ(Explain(results[2], &XmlSafe, {}, &groups),
            Explain(results[2], &XmlSafe));
}

TEST(ExplainTest, MarksEmptyBodies) {
  TestResult r = FailedResult();
  r.sections = {{"Actual stdout", ""}};
  EXPECT_THAT(Explain(r, &XmlSafe), HasSubstr("Actual stdout:\n  (empty)\n"));
}

TEST(ExplainTest, PassOmitsHintAndRerun) {
  TestResult r = FailedResult();
  r.outcome = Outcome::kPass;
  r.summary.clear();
  r.sections.clear();
  EXPECT_EQ(Explain(r, &XmlSafe), "");
}

TEST(ExplainTest, VisibilityDoesNotCutTheStory) {
  // Who may read a test is the student view's business
  // (student_view_test): given a hidden test, Explain tells all of it.
  TestResult r = FailedResult();
  const std::string visible = Explain(r, &XmlSafe);
  r.visibility = Visibility::kHidden;
  EXPECT_EQ(Explain(r, &XmlSafe), visible);
}

TEST(ExplainTest, SanitizesAndCapsEveryPiece) {
  TestResult r = FailedResult();
  r.sections = {{"Actual stdout", "\x1b[31m" + std::string(100'000, 'x')}};
  const std::string text = Explain(r, &XmlSafe, {1000, 4000});
  EXPECT_LE(text.size(), 4000u);
  EXPECT_THAT(text, HasSubstr("\\x1b[31m"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, HasSubstr("bytes not shown"));
  EXPECT_THAT(text, HasSubstr("Rerun: ipclab run --test pipe-two\n"));
}

}  // namespace
}  // namespace ipclab
