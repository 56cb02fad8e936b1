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

TEST(ExplainTest, HiddenTestKeepsOnlyTheSummary) {
  TestResult r = FailedResult();
  r.visibility = Visibility::kHidden;
  const std::string text = Explain(r, &XmlSafe);
  EXPECT_EQ(text,
            "stdout differs at line 2\n\nDetails are hidden for this test.\n");
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
