// What students see of a grading with hidden tests: every reporter, fed
// through the student view, leaves the hidden tests out whole (no id,
// title, output, hint or points) and says only how many there were.
#include "report/student_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/console_reporter.h"
#include "report/gradescope_reporter.h"
#include "report/junit_reporter.h"
#include "report_test_util.h"

namespace ipclab {
namespace {

using ::testing::HasSubstr;
using testing::HostileSummary;
using testing::kSecret;
using testing::MemoryFile;
using ::testing::Not;

// Everything HostileSummary's two hidden tests could give away.
const char* kHiddenWords[] = {"hidden-secret", "hidden-pass",
                              "Title of hidden-secret", "wrong output"};

void ExpectNothingHidden(const std::string& report) {
  EXPECT_THAT(report, Not(HasSubstr(std::string(kSecret))));
  for (const char* word : kHiddenWords) {
    EXPECT_THAT(report, Not(HasSubstr(word))) << word;
  }
}

std::vector<const TestSpec*> SpecsOf(const RunSummary& summary,
                                     std::vector<TestSpec>& storage) {
  for (const TestResult& r : summary.results) {
    TestSpec t;
    t.id = r.id;
    t.points = r.max_points;
    t.visibility = r.visibility;
    storage.push_back(t);
  }
  std::vector<const TestSpec*> specs;
  for (const TestSpec& t : storage) specs.push_back(&t);
  return specs;
}

TEST(StudentViewTest, LeavesHiddenTestsOutOfTheResultsAndTheScore) {
  const RunSummary view = ForStudents(HostileSummary());
  EXPECT_EQ(view.results.size(), 8u);
  EXPECT_EQ(view.withheld, 2u);
  EXPECT_EQ(view.points, 7.5 - 2);
  EXPECT_EQ(view.max_points, 20 - 3);
  EXPECT_EQ(view.info.test_count, 8u);
  for (const TestResult& r : view.results) {
    EXPECT_EQ(r.visibility, Visibility::kVisible) << r.id;
  }
  // Applied twice, it changes nothing more.
  const RunSummary again = ForStudents(view);
  EXPECT_EQ(again.withheld, 2u);
  EXPECT_EQ(again.points, view.points);
}

TEST(StudentViewTest, EveryVisibilityButVisibleIsWithheld) {
  EXPECT_TRUE(ShownToStudents(Visibility::kVisible));
  EXPECT_FALSE(ShownToStudents(Visibility::kHidden));
  EXPECT_FALSE(ShownToStudents(Visibility::kAfterDueDate));
  EXPECT_FALSE(ShownToStudents(Visibility::kAfterPublished));
}

TEST(StudentViewTest, TheConsoleStreamShowsNothingHidden) {
  const RunSummary summary = HostileSummary();
  std::vector<TestSpec> storage;
  MemoryFile out;
  StudentView view(
      std::make_unique<ConsoleReporter>(out.get(), ConsoleOptions{}),
      SpecsOf(summary, storage));
  view.OnRunStart(summary.info);
  for (const TestResult& r : summary.results) view.OnTestEnd(r);
  ASSERT_TRUE(view.OnRunEnd(summary).ok());
  const std::string text = out.contents();
  ExpectNothingHidden(text);
  EXPECT_THAT(text, HasSubstr("8 tests, 17 points\n"));
  EXPECT_THAT(text, HasSubstr("Score: 5.5/17\n"));
  EXPECT_THAT(text, HasSubstr("2 more tests were graded that your instructor "
                              "keeps hidden"));
}

TEST(StudentViewTest, JUnitAndGradescopeShowNothingHidden) {
  const RunSummary view = ForStudents(HostileSummary());
  const std::string xml = RenderJUnit(view);
  ExpectNothingHidden(xml);
  EXPECT_THAT(xml, HasSubstr("<property name=\"withheld_tests\" value=\"2\""));
  const std::string json = RenderGradescope(view);
  ExpectNothingHidden(json);
  const nlohmann::json results = nlohmann::json::parse(json);
  EXPECT_EQ(results["tests"].size(), 8u);
  EXPECT_EQ(results["score"], 5.5);
  EXPECT_EQ(results["max_score"], 17);
  EXPECT_EQ(results["stdout_visibility"], "visible");
  EXPECT_THAT(results["output"].get<std::string>(),
              HasSubstr("2 more tests were graded"));
}

TEST(StudentViewTest, TheInstructorSeesEverything) {
  const std::string xml = RenderJUnit(HostileSummary());
  EXPECT_THAT(xml, HasSubstr(std::string(kSecret)));
  EXPECT_THAT(xml, HasSubstr("hidden-secret"));
  EXPECT_THAT(xml, Not(HasSubstr("withheld_tests")));
}

}  // namespace
}  // namespace ipclab
