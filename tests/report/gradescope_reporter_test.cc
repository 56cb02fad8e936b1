#include "report/gradescope_reporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "report/text_sanitize.h"
#include "report_test_util.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::HostileSummary;
using testing::kSecret;
using testing::kTailMarker;
using ::testing::Not;
using testing::PlainSummary;
using testing::ReadFile;
using testing::TempDir;

// Writes `summary` with GradescopeReporter and parses the file back.
nlohmann::json WriteAndParse(const RunSummary& summary, std::string* raw) {
  TempDir dir;
  const fs::path path = dir.path() / "results" / "results.json";
  GradescopeReporter reporter(path);
  const Status status = reporter.OnRunEnd(summary);
  EXPECT_TRUE(status.ok()) << status.error().message;
  *raw = ReadFile(path);
  // nlohmann's parser rejects invalid UTF-8, as Gradescope's would.
  return nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
}

TEST(GradescopeReporterTest, EveryFieldHasTheDocumentedType) {
  std::string raw;
  const nlohmann::json results = WriteAndParse(PlainSummary(), &raw);
  ASSERT_FALSE(results.is_discarded()) << raw;
  ASSERT_TRUE(results.is_object());
  EXPECT_EQ(results.size(), 8u) << results.dump(2);
  ASSERT_TRUE(results["score"].is_number());
  ASSERT_TRUE(results["max_score"].is_number());
  ASSERT_TRUE(results["execution_time"].is_number());
  ASSERT_TRUE(results["output"].is_string());
  ASSERT_TRUE(results["tests"].is_array());
  EXPECT_EQ(results["score"].get<double>(), 7.5);
  EXPECT_EQ(results["max_score"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(results["execution_time"].get<double>(), 12.3456);
  EXPECT_EQ(results["output"], "2 passed, 7 failed, 1 not run. Score: 7.5/20");
  EXPECT_EQ(results["output_format"], "md");
  EXPECT_EQ(results["test_output_format"], "md");
  // The console log shows every test's details: hidden from students when
  // some test is.
  EXPECT_EQ(results["stdout_visibility"], "hidden");

  const nlohmann::json& tests = results["tests"];
  ASSERT_EQ(tests.size(), 10u);
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const nlohmann::json& test = tests[i];
    SCOPED_TRACE(test.dump());
    ASSERT_TRUE(test.is_object());
    EXPECT_EQ(test.size(), 8u);
    ASSERT_TRUE(test["tags"].is_array());
    ASSERT_TRUE(test["name"].is_string());
    ASSERT_TRUE(test["number"].is_string());
    ASSERT_TRUE(test["score"].is_number());
    ASSERT_TRUE(test["max_score"].is_number());
    ASSERT_TRUE(test["status"].is_string());
    ASSERT_TRUE(test["output"].is_string());
    ASSERT_TRUE(test["visibility"].is_string());
    EXPECT_EQ(test["number"], std::to_string(i + 1));
    EXPECT_THAT(test["status"].get<std::string>(),
                ::testing::AnyOf("passed", "failed"));
    EXPECT_THAT(test["visibility"].get<std::string>(),
                ::testing::AnyOf("visible", "hidden"));
  }
  EXPECT_EQ(tests[0]["name"], "echo-basic: Title of echo-basic");
  EXPECT_EQ(tests[0]["status"], "passed");
  EXPECT_EQ(tests[0]["output"], "");
  EXPECT_EQ(tests[1]["name"], "pipe-two: Two stages");
  EXPECT_EQ(tests[1]["status"], "failed");
  EXPECT_EQ(tests[1]["score"].get<double>(), 0);
  EXPECT_EQ(tests[1]["max_score"].get<double>(), 3);
  EXPECT_EQ(tests[1]["output"],
            "```text\n"
            "stdout differs at line 1\n"
            "\n"
            "Command:\n"
            "  ./sh -c 'ls | wc -l'\n"
            "\n"
            "Expected stdout:\n"
            "  3\n"
            "\n"
            "Actual stdout:\n"
            "  plain output\n"
            "\n"
            "Hint: Read the man page of pipe(2).\n"
            "Rerun: ipclab run --lab pipeline --test pipe-two "
            "submissions/alice\n"
            "```\n");
  // Partial credit still fails, as the outcome table says.
  EXPECT_EQ(tests[8]["name"], "partial: Title of partial");
  EXPECT_EQ(tests[8]["score"].get<double>(), 1.5);
  EXPECT_EQ(tests[8]["status"], "failed");
  // A skipped test or a grader error is "failed" too: no points were earned.
  EXPECT_EQ(tests[5]["status"], "failed");
  EXPECT_EQ(tests[6]["status"], "failed");
}

TEST(GradescopeReporterTest, ScoresSumToTheTotal) {
  std::string raw;
  const nlohmann::json results = WriteAndParse(PlainSummary(), &raw);
  ASSERT_FALSE(results.is_discarded());
  double score = 0;
  double max_score = 0;
  for (const nlohmann::json& test : results["tests"]) {
    score += test["score"].get<double>();
    max_score += test["max_score"].get<double>();
  }
  EXPECT_DOUBLE_EQ(score, results["score"].get<double>());
  EXPECT_DOUBLE_EQ(max_score, results["max_score"].get<double>());
}

// An --instructor run (Gradescope's run_autograder) gives every test whole,
// with its visibility: Gradescope keeps it from students until then.
TEST(GradescopeReporterTest, HiddenTestsCarryTheirVisibilityWhole) {
  std::string raw;
  const nlohmann::json results = WriteAndParse(HostileSummary(), &raw);
  ASSERT_FALSE(results.is_discarded());
  const nlohmann::json& secret = results["tests"][7];
  EXPECT_EQ(secret["name"], "hidden-secret: Title of hidden-secret");
  EXPECT_EQ(secret["visibility"], "hidden");
  EXPECT_EQ(secret["status"], "failed");
  EXPECT_THAT(secret["output"].get<std::string>(),
              HasSubstr(std::string(kSecret)));
  EXPECT_EQ(results["tests"][9]["visibility"], "hidden");
  EXPECT_EQ(results["tests"][9]["status"], "passed");
  EXPECT_EQ(results["tests"][0]["visibility"], "visible");
}

TEST(GradescopeReporterTest, StdoutIsKeptAsLongAsTheStrictestTest) {
  RunSummary summary = PlainSummary();
  for (TestResult& r : summary.results) r.visibility = Visibility::kVisible;
  summary.results[1].visibility = Visibility::kAfterDueDate;
  auto stdout_visibility = [&summary] {
    return nlohmann::json::parse(RenderGradescope(summary))["stdout_visibility"]
        .get<std::string>();
  };
  EXPECT_EQ(stdout_visibility(), "after_due_date");
  summary.results[2].visibility = Visibility::kAfterPublished;
  EXPECT_EQ(stdout_visibility(), "after_published");
  summary.results[3].visibility = Visibility::kHidden;
  EXPECT_EQ(stdout_visibility(), "hidden");
}

TEST(GradescopeReporterTest, HostileOutputStaysValidUtf8Json) {
  std::string raw;
  const nlohmann::json results = WriteAndParse(HostileSummary(), &raw);
  ASSERT_FALSE(results.is_discarded()) << raw.substr(0, 2000);
  EXPECT_EQ(ValidUtf8(raw), raw);
  EXPECT_LT(raw.size(), 512u * 1024);

  const nlohmann::json& pipe = results["tests"][1];
  EXPECT_EQ(pipe["name"], "pipe-two: Two stages & <redirects> \"quoted\"");
  const std::string output = pipe["output"].get<std::string>();
  EXPECT_EQ(ValidUtf8(output), output);
  // Controls survive as JSON escapes; invalid bytes became U+FFFD.
  EXPECT_THAT(output, HasSubstr("colour \x1b[31mred"));
  EXPECT_THAT(output, HasSubstr(std::string("nul ") + '\0' + " after nul"));
  EXPECT_THAT(output, HasSubstr("stray \xEF\xBF\xBD\xEF\xBF\xBD"));
  EXPECT_THAT(output, HasSubstr("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  EXPECT_THAT(raw, HasSubstr("\\u001b[31m"));
  EXPECT_THAT(raw, HasSubstr("\\u0000"));

  // 11 MB of output: head and tail kept, middle cut, whole test bounded.
  const std::string flood = results["tests"][4]["output"].get<std::string>();
  EXPECT_LE(flood.size(), 64u * 1024);
  EXPECT_THAT(flood, HasSubstr("bytes not shown"));
  EXPECT_THAT(flood, HasSubstr(std::string(kTailMarker)));
}

TEST(GradescopeReporterTest, TagsAreTheKindAndTheLectureTopic) {
  RunSummary summary = PlainSummary();
  summary.results[0].kind = "psh-script";
  summary.results[0].topic = "SIGPIPE";
  summary.results[1].kind = "echo-clients";
  const nlohmann::json results =
      nlohmann::json::parse(RenderGradescope(summary));
  EXPECT_EQ(results["tests"][0]["tags"],
            nlohmann::json::array({"psh-script", "SIGPIPE"}));
  EXPECT_EQ(results["tests"][1]["tags"],
            nlohmann::json::array({"echo-clients"}));
}

TEST(GradescopeReporterTest, StdoutIsVisibleWhenNoTestIsHidden) {
  RunSummary summary = PlainSummary();
  for (TestResult& r : summary.results) r.visibility = Visibility::kVisible;
  const nlohmann::json results =
      nlohmann::json::parse(RenderGradescope(summary));
  EXPECT_EQ(results["stdout_visibility"], "visible");
}

// Student output holding a Markdown fence cannot close ours: the fence is
// longer than any run of backticks inside.
TEST(GradescopeReporterTest, OutputFenceOutlastsBackticksInside) {
  RunSummary summary = PlainSummary();
  summary.results[1].sections = {{"Actual stdout", "````\n# not a heading"}};
  const nlohmann::json results =
      nlohmann::json::parse(RenderGradescope(summary));
  const std::string output = results["tests"][1]["output"];
  EXPECT_THAT(output, ::testing::StartsWith("`````text\n"));
  EXPECT_THAT(output, ::testing::EndsWith("\n`````\n"));
  EXPECT_THAT(output, HasSubstr("  ````\n  # not a heading"));
}

TEST(GradescopeReporterTest, NonFiniteNumbersNeverReachTheFile) {
  RunSummary summary = PlainSummary();
  summary.seconds = std::numeric_limits<double>::quiet_NaN();
  summary.results[0].points = std::numeric_limits<double>::infinity();
  const std::string json = RenderGradescope(summary);
  EXPECT_THAT(json, Not(HasSubstr("null")));
  EXPECT_THAT(json, Not(HasSubstr("NaN")));
  EXPECT_FALSE(nlohmann::json::parse(json, nullptr, false).is_discarded());
}

TEST(GradescopeReporterTest, UnwritablePathIsAnErrorNotAnException) {
  GradescopeReporter reporter("/proc/ipclab-no-such-dir/results.json");
  const Status status = reporter.OnRunEnd(PlainSummary());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("results.json"));
}

}  // namespace
}  // namespace ipclab
