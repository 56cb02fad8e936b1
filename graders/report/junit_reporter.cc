#include "report/junit_reporter.h"

#include <algorithm>
#include <pugixml.hpp>
#include <string_view>
#include <utility>

#include "core/outcome.h"
#include "core/spec.h"
#include "report/atomic_file.h"
#include "report/explanation.h"
#include "report/number_format.h"
#include "report/text_sanitize.h"

namespace ipclab {
namespace {

// libxml2-based consumers (GitLab, lxml) refuse text nodes over 10 MB; stay
// far below, a failure text is read by a person. Attributes are shown as one
// line in most UIs, and GitLab ignores `message` anyway: keep it short.
constexpr ExplanationLimits kTextLimits{16 * 1024, 64 * 1024};
constexpr std::size_t kAttributeBytes = 200;

// For names, labels and messages: sanitized, on one line, short.
std::string AttributeText(std::string_view text) {
  return OneLine(XmlSafe(text), kAttributeBytes);
}

// junit-10 allows digits and at most three decimals: no exponent, no
// negative, no locale comma.
std::string Seconds(double seconds) {
  return FormatFixed(std::max(seconds, 0.0), 3);
}

void SetAttribute(pugi::xml_node node, const char* name,
                  const std::string& value) {
  node.append_attribute(name).set_value(value.c_str());
}

void AddProperty(pugi::xml_node properties, const std::string& name,
                 const std::string& value) {
  pugi::xml_node property = properties.append_child("property");
  SetAttribute(property, "name", AttributeText(name));
  SetAttribute(property, "value", AttributeText(value));
}

// With --repeat, Maven Surefire's convention for reruns: when every run
// failed, one rerunFailure per run after the first; when some passed (a
// flaky test), one flakyFailure per failed run. The error twins when the
// test's element is <error>. Each carries its run's one-line summary.
void AddRepeatElements(pugi::xml_node testcase, const TestResult& result) {
  if (result.runs <= 1 || result.failed_runs.empty()) return;
  const bool every_run =
      result.failed_runs.size() == static_cast<std::size_t>(result.runs);
  const bool error = Info(result.outcome).junit == JUnitElement::kError;
  const char* element = every_run ? (error ? "rerunError" : "rerunFailure")
                                  : (error ? "flakyError" : "flakyFailure");
  for (std::size_t i = every_run ? 1 : 0; i < result.failed_runs.size(); ++i) {
    const FailedRun& f = result.failed_runs[i];
    const std::string text = "run " + std::to_string(f.run) + " of " +
                             std::to_string(result.runs) + ": " + f.summary;
    pugi::xml_node node = testcase.append_child(element);
    SetAttribute(node, "message", AttributeText(text));
    SetAttribute(node, "type", AttributeText(Info(f.outcome).label));
    node.text().set(XmlSafe(text).c_str());
  }
}

// Adds the one result element the outcome table asks for, if any.
void AddResultElement(pugi::xml_node testcase, const TestResult& result,
                      const std::vector<CauseGroup>& groups) {
  const OutcomeInfo& info = Info(result.outcome);
  const char* element = nullptr;
  switch (info.junit) {
    case JUnitElement::kNone:
      return;
    case JUnitElement::kFailure:
      element = "failure";
      break;
    case JUnitElement::kError:
      element = "error";
      break;
    case JUnitElement::kSkipped:
      element = "skipped";
      break;
  }
  pugi::xml_node node = testcase.append_child(element);
  std::string message =
      result.summary.empty() ? std::string(info.label) : result.summary;
  SetAttribute(node, "message", AttributeText(message));
  if (info.junit != JUnitElement::kSkipped) {
    SetAttribute(node, "type", AttributeText(info.label));
  }
  // GitLab shows the element's text, not its message: the text carries the
  // whole explanation.
  node.text().set(Explain(result, &XmlSafe, kTextLimits, &groups).c_str());
  if (info.junit != JUnitElement::kSkipped) AddRepeatElements(testcase, result);
}

// Collects pugixml's output in memory, so the file is written in one go.
class StringWriter : public pugi::xml_writer {
 public:
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
  std::string out;
};

// How many results JUnit counts under each of its elements.
struct Counts {
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::size_t skipped = 0;
};

Counts CountResults(const RunSummary& summary) {
  Counts counts;
  for (const TestResult& r : summary.results) {
    switch (Info(r.outcome).junit) {
      case JUnitElement::kFailure:
        ++counts.failures;
        break;
      case JUnitElement::kError:
        ++counts.errors;
        break;
      case JUnitElement::kSkipped:
        ++counts.skipped;
        break;
      case JUnitElement::kNone:
        break;
    }
  }
  return counts;
}

// The <testsuite> with its attributes, under <testsuites>, which has the
// same totals.
pugi::xml_node AddSuite(pugi::xml_document& doc, const RunSummary& summary,
                        const std::string& suite_name) {
  const Counts counts = CountResults(summary);
  const std::string lab = AttributeText(summary.info.lab);
  const std::string tests = std::to_string(summary.results.size());
  const std::string time = Seconds(summary.seconds);

  // junit-10 rejects `skipped` on <testsuites>; it lives on the suite.
  pugi::xml_node root = doc.append_child("testsuites");
  SetAttribute(root, "name", lab);
  SetAttribute(root, "tests", tests);
  SetAttribute(root, "failures", std::to_string(counts.failures));
  SetAttribute(root, "errors", std::to_string(counts.errors));
  SetAttribute(root, "time", time);

  pugi::xml_node suite = root.append_child("testsuite");
  SetAttribute(suite, "name", suite_name);
  SetAttribute(suite, "tests", tests);
  SetAttribute(suite, "failures", std::to_string(counts.failures));
  SetAttribute(suite, "errors", std::to_string(counts.errors));
  SetAttribute(suite, "skipped", std::to_string(counts.skipped));
  SetAttribute(suite, "time", time);
  if (!summary.timestamp.empty()) {
    SetAttribute(suite, "timestamp", AttributeText(summary.timestamp));
  }
  if (!summary.hostname.empty()) {
    SetAttribute(suite, "hostname", AttributeText(summary.hostname));
  }
  return suite;
}

// The score and each test's points, as <properties>.
void AddScoreProperties(pugi::xml_node suite, const RunSummary& summary) {
  pugi::xml_node properties = suite.append_child("properties");
  AddProperty(properties, "score", FormatPoints(summary.points));
  AddProperty(properties, "max_score", FormatPoints(summary.max_points));
  // A student-facing report counts the tests it leaves out, no more.
  if (summary.withheld > 0) {
    AddProperty(properties, "withheld_tests", std::to_string(summary.withheld));
  }
  for (const TestResult& r : summary.results) {
    AddProperty(properties, "points." + r.id,
                FormatPoints(r.points) + "/" + FormatPoints(r.max_points));
  }
  // The human titles, here rather than on each testcase: the common JUnit
  // schemas reject testcase-level properties.
  for (const TestResult& r : summary.results) {
    if (r.title.empty()) continue;
    AddProperty(properties, "title." + r.id, r.title);
  }
}

}  // namespace

std::string RenderJUnit(const RunSummary& summary) {
  const std::string suite_name = "ipclab." + AttributeText(summary.info.lab);
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  SetAttribute(declaration, "version", "1.0");
  SetAttribute(declaration, "encoding", "UTF-8");
  pugi::xml_node suite = AddSuite(doc, summary, suite_name);
  AddScoreProperties(suite, summary);
  const std::vector<CauseGroup> groups = GroupByCause(summary.results);
  for (const TestResult& r : summary.results) {
    pugi::xml_node testcase = suite.append_child("testcase");
    SetAttribute(testcase, "classname", suite_name);
    SetAttribute(testcase, "name", AttributeText(r.id));
    SetAttribute(testcase, "time", Seconds(r.seconds));
    // Where annotation actions place the test: the student's file and line
    // when known, else the handout `ipclab init` copied beside the sources.
    SetAttribute(testcase, "file",
                 AttributeText(r.file.empty() ? kHandoutFile : r.file));
    if (r.line > 0) SetAttribute(testcase, "line", std::to_string(r.line));
    AddResultElement(testcase, r, groups);
  }
  StringWriter writer;
  doc.save(writer, "  ", pugi::format_default, pugi::encoding_utf8);
  return std::move(writer.out);
}

JUnitReporter::JUnitReporter(std::filesystem::path out)
    : out_(std::move(out)) {}

Status JUnitReporter::OnRunEnd(const RunSummary& summary) {
  return WriteFileAtomically(out_, RenderJUnit(summary));
}

}  // namespace ipclab
