// JUnit XML for CI systems (GitLab, Jenkins, GitHub actions). The document
// validates against the Jenkins xUnit junit-10 schema, the strictest common
// dialect, and every string in it is sanitized, because student output may
// hold bytes that make strict XML parsers reject the whole file.
#pragma once

#include <filesystem>
#include <string>

#include "core/reporter.h"

namespace ipclab {

/// The complete JUnit document for a run (UTF-8, with XML declaration).
/// One <testsuite> named "ipclab.<lab>" holds a <testcase> per result; the
/// score and each test's points are suite <property> elements, since no
/// JUnit consumer has a notion of points.
std::string RenderJUnit(const RunSummary& summary);

class JUnitReporter : public Reporter {
 public:
  /// Writes the report to `out` at the end of the run.
  explicit JUnitReporter(std::filesystem::path out);

  Status OnRunEnd(const RunSummary& summary) override;

 private:
  std::filesystem::path out_;
};

}  // namespace ipclab
