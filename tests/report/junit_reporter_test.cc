#include "report/junit_reporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <regex>
#include <sstream>
#include <vector>

#include "core/shell_quote.h"
#include "report/text_sanitize.h"
#include "report_test_util.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::HostileSummary;
using ::testing::IsSupersetOf;
using testing::kSecret;
using testing::kTailMarker;
using testing::Lines;
using ::testing::Not;
using testing::PlainSummary;
using testing::ReadFile;
using testing::RunCommand;
using testing::ShellQuote;
using ::testing::StartsWith;
using testing::TempDir;

// Reads a report the way CI tools do (Debian's python3-junitparser on the
// stdlib's expat parser, the library EnricoMi's publisher uses) and prints
// one fact per line. Arguments: file, tail marker, secret.
constexpr const char* kJUnitParserScript = R"PY(
import sys
from junitparser import JUnitXml
xml = JUnitXml.fromfile(sys.argv[1])
print("root", xml.name, xml.tests, xml.failures, xml.errors)
for suite in xml:
    print("suite", suite.name, suite.tests, suite.failures, suite.errors,
          suite.skipped, suite.hostname, suite.timestamp)
    for prop in suite.properties():
        print("property", prop.name, prop.value)
    for case in suite:
        kinds = [type(r).__name__.lower() for r in case.result]
        print("case", case.classname, case.name,
              kinds[0] if kinds else "passed", len(kinds))
        for r in case.result:
            text = r.text or ""
            print("message", case.name, r.message)
            print("type", case.name, r.type)
            print("text", case.name,
                  "tail" if sys.argv[2] in text else "-",
                  "secret" if sys.argv[3] in text else "-",
                  "cut" if "bytes not shown" in text else "-")
)PY";

// Writes `summary` with JUnitReporter into `dir`; fails the test on error.
fs::path WriteReport(const TempDir& dir, const RunSummary& summary) {
  const fs::path path = dir.path() / "reports" / "junit.xml";
  JUnitReporter reporter(path);
  const Status status = reporter.OnRunEnd(summary);
  EXPECT_TRUE(status.ok()) << status.error().message;
  return path;
}

fs::path SchemaOrFail() {
  const fs::path schema = testing::JUnitSchemaPath();
  EXPECT_TRUE(fs::exists(schema)) << "the JUnit schema is missing: " << schema;
  return schema;
}

TEST(JUnitSchemaTest, HostilePlainAndEmptyRunsValidate) {
  const fs::path schema = SchemaOrFail();
  ASSERT_TRUE(fs::exists(schema));
  RunSummary empty;
  empty.info.lab = "pipeline";
  for (const RunSummary& summary : {HostileSummary(), PlainSummary(), empty}) {
    TempDir dir;
    const fs::path report = WriteReport(dir, summary);
    const CommandResult lint =
        RunCommand("xmllint --noout --schema " + ShellQuote(schema.string()) +
                   " " + ShellQuote(report.string()));
    EXPECT_EQ(lint.exit_code, 0) << lint.output;
    EXPECT_THAT(lint.output, HasSubstr("validates"));
  }
}

// xmllint's verdict on `xml` against our schema: true if it validates.
bool Validates(const std::string& xml, std::string* output) {
  TempDir dir;
  const fs::path file = dir.path() / "report.xml";
  std::ofstream(file) << xml;
  const CommandResult lint = RunCommand("xmllint --noout --schema " +
                                        ShellQuote(SchemaOrFail().string()) +
                                        " " + ShellQuote(file.string()));
  *output = lint.output;
  return lint.exit_code == 0;
}

// The schema is only worth its name if it rejects the mistakes a reporter
// change could make. Each document is a valid report with one fault.
TEST(JUnitSchemaTest, RejectsMalformedReports) {
  const std::string good = RenderJUnit(PlainSummary());
  std::string output;
  ASSERT_TRUE(Validates(good, &output)) << output;
  auto with = [&](const std::string& from, const std::string& to) {
    const std::size_t at = good.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    std::string bad = good;
    if (at != std::string::npos) bad.replace(at, from.size(), to);
    return bad;
  };
  const std::vector<std::pair<std::string, std::string>> faults = {
      // A numeric attribute that is not a count.
      {"tests=\"10\"", "tests=\"ten\""},
      // An exponent or a locale comma in a time.
      {"time=\"0.120\"", "time=\"1.2e-01\""},
      {"time=\"0.120\"", "time=\"0,120\""},
      // A required attribute missing.
      {"<testcase classname=\"ipclab.pipeline\" name=\"echo-basic\"",
       "<testcase classname=\"ipclab.pipeline\""},
      {"type=\"fail\"", ""},
      // An unknown outcome label.
      {"type=\"fail\"", "type=\"failed\""},
      // Wrong nesting: a failure outside its testcase, a suite in a case.
      {"<properties>", "<failure message=\"m\" type=\"fail\"/><properties>"},
      {"<testcase classname=\"ipclab.pipeline\" name=\"echo-basic\" "
       "time=\"0.120\" file=\"HANDOUT.md\" />",
       "<testcase classname=\"ipclab.pipeline\" name=\"echo-basic\" "
       "time=\"0.120\" file=\"HANDOUT.md\"><testsuite/></testcase>"},
      // A line that is not a positive number, an empty file name.
      {"file=\"HANDOUT.md\"", "file=\"HANDOUT.md\" line=\"0\""},
      {"file=\"HANDOUT.md\"", "file=\"\""},
      // `skipped` on the root, which the Jenkins xUnit schema rejects.
      {"<testsuites name=\"pipeline\"",
       "<testsuites skipped=\"1\" "
       "name=\"pipeline\""},
      // A rerun failure without the failure it repeats.
      {"<failure message=\"stdout differs at line 1\"",
       "<rerunFailure message=\"stdout differs at line 1\""},
  };
  for (const auto& [from, to] : faults) {
    std::string bad = with(from, to);
    if (from.find("<failure") == 0) {
      // Close the renamed element too.
      const std::size_t close = bad.find("</failure>");
      if (close != std::string::npos) bad.replace(close, 10, "</rerunFailure>");
    }
    EXPECT_FALSE(Validates(bad, &output)) << "accepted: " << to;
  }
}

// A summary of --repeat 5 runs: one test failed in 2 of 5 runs (flaky),
// one in every run, one was the grader's error in 2 of 5.
RunSummary RepeatedSummary() {
  RunSummary s = PlainSummary();
  s.results.resize(3);
  auto repeated = [](TestResult& r, std::vector<FailedRun> failed) {
    r.runs = 5;
    r.failed_runs = std::move(failed);
  };
  s.results[0].outcome = Outcome::kFail;
  s.results[0].summary = "This test failed 2 of 5 runs. wrong";
  repeated(s.results[0],
           {{2, Outcome::kFail, "wrong"}, {4, Outcome::kTimeout, "hung"}});
  repeated(s.results[1], {{1, Outcome::kFail, "a"},
                          {2, Outcome::kFail, "b"},
                          {3, Outcome::kCrash, "c"},
                          {4, Outcome::kFail, "d"},
                          {5, Outcome::kFail, "e"}});
  s.results[2].outcome = Outcome::kError;
  repeated(s.results[2], {{1, Outcome::kError, "x"}, {3, Outcome::kFail, "y"}});
  s.info.test_count = 3;
  return s;
}

TEST(JUnitRepeatTest, RerunsFollowSurefireAndStillValidate) {
  const std::string xml = RenderJUnit(RepeatedSummary());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  auto count = [](pugi::xml_node c, const char* name) {
    return std::distance(c.children(name).begin(), c.children(name).end());
  };
  pugi::xml_node flaky =
      suite.find_child_by_attribute("testcase", "name", "echo-basic");
  EXPECT_EQ(count(flaky, "failure"), 1);
  EXPECT_EQ(count(flaky, "flakyFailure"), 2);
  EXPECT_EQ(count(flaky, "rerunFailure"), 0);
  EXPECT_STREQ(flaky.child("flakyFailure").attribute("message").value(),
               "run 2 of 5: wrong");
  pugi::xml_node every =
      suite.find_child_by_attribute("testcase", "name", "pipe-two");
  EXPECT_EQ(count(every, "rerunFailure"), 4);
  EXPECT_EQ(count(every, "flakyFailure"), 0);
  EXPECT_STREQ(every.child("rerunFailure").attribute("type").value(), "fail");
  pugi::xml_node error =
      suite.find_child_by_attribute("testcase", "name", "crash-segv");
  EXPECT_EQ(count(error, "flakyError"), 2);

  std::string output;
  EXPECT_TRUE(Validates(xml, &output)) << output << xml;

  // A consumer that does not know the rerun elements still reads one
  // result per test.
  TempDir dir;
  const fs::path report = WriteReport(dir, RepeatedSummary());
  const CommandResult parsed =
      RunCommand("PYTHONIOENCODING=utf-8 /usr/bin/python3 -c " +
                 ShellQuote(kJUnitParserScript) + " " +
                 ShellQuote(report.string()) + " tail secret");
  ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
  EXPECT_THAT(Lines(parsed.output),
              IsSupersetOf({"case ipclab.pipeline echo-basic failure 1",
                            "case ipclab.pipeline pipe-two failure 1",
                            "case ipclab.pipeline crash-segv error 1"}));
}

TEST(JUnitSchemaTest, HostileBytesNeverReachTheFile) {
  TempDir dir;
  const std::string xml = ReadFile(WriteReport(dir, HostileSummary()));
  EXPECT_EQ(ValidUtf8(xml), xml);
  EXPECT_EQ(xml.find('\0'), std::string::npos);
  for (unsigned char c = 1; c < 0x20; ++c) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    EXPECT_EQ(xml.find(static_cast<char>(c)), std::string::npos) << int(c);
  }
  // Character references to C0 controls (pugixml writes &#27; for ESC) are
  // not XML 1.0 either; only whitespace may appear as a reference.
  for (std::size_t at = xml.find("&#"); at != std::string::npos;
       at = xml.find("&#", at + 1)) {
    const std::string ref = xml.substr(at, xml.find(';', at) + 1 - at);
    EXPECT_THAT(ref, ::testing::AnyOf("&#9;", "&#10;", "&#13;"));
  }
  EXPECT_THAT(xml, Not(HasSubstr("\xEF\xBF\xBE")));
  EXPECT_THAT(xml, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  // 11 MB of student output became a bounded report.
  EXPECT_LT(xml.size(), 512u * 1024);
}

TEST(JUnitStructureTest, CountsTimesAndPropertiesMatchTheRun) {
  const std::string xml = RenderJUnit(PlainSummary());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_STREQ(root.attribute("name").value(), "pipeline");
  EXPECT_STREQ(root.attribute("tests").value(), "10");
  EXPECT_STREQ(root.attribute("failures").value(), "6");
  EXPECT_STREQ(root.attribute("errors").value(), "1");
  EXPECT_STREQ(root.attribute("time").value(), "12.346");
  EXPECT_TRUE(root.attribute("skipped").empty());  // junit-10 rejects it.

  const pugi::xml_node suite = root.child("testsuite");
  EXPECT_STREQ(suite.attribute("name").value(), "ipclab.pipeline");
  EXPECT_STREQ(suite.attribute("tests").value(), "10");
  EXPECT_STREQ(suite.attribute("failures").value(), "6");
  EXPECT_STREQ(suite.attribute("errors").value(), "1");
  EXPECT_STREQ(suite.attribute("skipped").value(), "1");
  EXPECT_STREQ(suite.attribute("time").value(), "12.346");
  EXPECT_STREQ(suite.attribute("timestamp").value(), "2026-11-27T02:30:00");
  EXPECT_STREQ(suite.attribute("hostname").value(), "grader-01");

  // The counts agree with the testcases, as EnricoMi's publisher checks.
  int cases = 0, failures = 0, errors = 0, skipped = 0;
  const std::regex time_format("[0-9]+\\.[0-9]{3}");
  for (const pugi::xml_node testcase : suite.children("testcase")) {
    ++cases;
    EXPECT_STREQ(testcase.attribute("classname").value(), "ipclab.pipeline");
    EXPECT_TRUE(
        std::regex_match(testcase.attribute("time").value(), time_format))
        << testcase.attribute("time").value();
    EXPECT_LE(std::distance(testcase.begin(), testcase.end()), 1);
    failures += !testcase.child("failure").empty();
    errors += !testcase.child("error").empty();
    skipped += !testcase.child("skipped").empty();
  }
  EXPECT_EQ(cases, 10);
  EXPECT_EQ(failures, 6);
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(skipped, 1);

  const pugi::xml_node echo =
      suite.find_child_by_attribute("testcase", "name", "echo-basic");
  EXPECT_STREQ(echo.attribute("time").value(), "0.120");
  EXPECT_TRUE(echo.first_child().empty());

  const pugi::xml_node failure =
      suite.find_child_by_attribute("testcase", "name", "pipe-two")
          .child("failure");
  EXPECT_STREQ(failure.attribute("message").value(),
               "stdout differs at line 1");
  EXPECT_STREQ(failure.attribute("type").value(), "fail");
  EXPECT_STREQ(failure.text().get(),
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
               "submissions/alice\n");
}

// Annotation actions place a testcase by its `file` (and `line`): the
// student's file where the result knows one, else the handout; the human
// title is a suite property (schemas reject testcase properties).
TEST(JUnitStructureTest, FileLineAndTitleProperty) {
  RunSummary summary = PlainSummary();
  summary.results[1].file = "parse.cpp";
  summary.results[1].line = 12;
  const std::string xml = RenderJUnit(summary);
  std::string output;
  ASSERT_TRUE(Validates(xml, &output)) << output;
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  const pugi::xml_node pipe =
      suite.find_child_by_attribute("testcase", "name", "pipe-two");
  EXPECT_STREQ(pipe.attribute("file").value(), "parse.cpp");
  EXPECT_STREQ(pipe.attribute("line").value(), "12");
  const pugi::xml_node echo =
      suite.find_child_by_attribute("testcase", "name", "echo-basic");
  EXPECT_STREQ(echo.attribute("file").value(), "HANDOUT.md");
  EXPECT_TRUE(echo.attribute("line").empty());
  const pugi::xml_node title =
      suite.child("properties")
          .find_child_by_attribute("property", "name", "title.pipe-two");
  EXPECT_STREQ(title.attribute("value").value(), "Two stages");
}

TEST(JUnitParserTest, RealConsumerReadsTheHostileReport) {
  TempDir dir;
  const RunSummary summary = HostileSummary();
  const fs::path report = WriteReport(dir, summary);
  const CommandResult parsed = RunCommand(
      "PYTHONIOENCODING=utf-8 /usr/bin/python3 -c " +
      ShellQuote(kJUnitParserScript) + " " + ShellQuote(report.string()) + " " +
      ShellQuote(kTailMarker) + " " + ShellQuote(kSecret));
  ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
  const std::vector<std::string> lines = Lines(parsed.output);

  EXPECT_THAT(lines, Contains("root pipeline 10 6 1"));
  EXPECT_THAT(
      lines,
      Contains("suite ipclab.pipeline 10 6 1 1 grader-01 2026-11-27T02:30:00"));
  EXPECT_THAT(lines, IsSupersetOf({
                         "property score 7.5",
                         "property max_score 20",
                         "property points.echo-basic 4/4",
                         "property points.pipe-two 0/3",
                         "property points.partial 1.5/2",
                         "property points.hidden-secret 0/1",
                         "property points.hidden-pass 2/2",
                     }));
  // Names in spec order, and what each one's status is.
  std::vector<std::string> cases;
  for (const std::string& line : lines) {
    if (line.rfind("case ", 0) == 0) cases.push_back(line);
  }
  EXPECT_THAT(cases, ::testing::ElementsAre(
                         "case ipclab.pipeline echo-basic passed 0",
                         "case ipclab.pipeline pipe-two failure 1",
                         "case ipclab.pipeline crash-segv failure 1",
                         "case ipclab.pipeline slow-reader failure 1",
                         "case ipclab.pipeline flood failure 1",
                         "case ipclab.pipeline grader-broke error 1",
                         "case ipclab.pipeline needs-build skipped 1",
                         "case ipclab.pipeline hidden-secret failure 1",
                         "case ipclab.pipeline partial failure 1",
                         "case ipclab.pipeline hidden-pass passed 0"));
  EXPECT_THAT(lines, IsSupersetOf({
                         "type pipe-two fail",
                         "type crash-segv crash",
                         "type slow-reader timeout",
                         "type flood output limit",
                         "type grader-broke error",
                         "type needs-build None",
                         "message needs-build not run: the build failed",
                         "message grader-broke the reference program could "
                         "not start",
                         // The flood's tail survives truncation.
                         "text flood tail - cut",
                         "text hidden-secret - secret -",
                     }));
  // The hostile summary arrives as one sanitized line of at most 200 bytes.
  const std::string message = OneLine(XmlSafe(summary.results[1].summary), 200);
  EXPECT_LE(message.size(), 200u);
  EXPECT_THAT(message, HasSubstr("\\x1b[31m<&>\"'\xEF\xBF\xBD"));
  EXPECT_THAT(lines, Contains("message pipe-two " + message));
  EXPECT_THAT(parsed.output, Not(HasSubstr(std::string(kSecret))));
}

TEST(JUnitReporterTest, UnwritablePathIsAnErrorNotAnException) {
  JUnitReporter reporter("/proc/ipclab-no-such-dir/junit.xml");
  const Status status = reporter.OnRunEnd(PlainSummary());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("/proc/ipclab-no-such-dir"));
}

}  // namespace
}  // namespace ipclab
