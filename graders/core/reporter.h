// Reporters are listeners on a run's events (the googletest shape): the
// runner never knows XML or JSON. A reporter that writes a file does it once,
// at OnRunEnd, atomically.
#pragma once

#include <memory>
#include <vector>

#include "error.h"
#include "test_result.h"

namespace ipclab {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void OnRunStart(const RunInfo& /*info*/) {}
  /// Called in spec order, as soon as every earlier test has finished.
  virtual void OnTestEnd(const TestResult& /*result*/) {}
  virtual Status OnRunEnd(const RunSummary& /*summary*/) { return {}; }
};

/// Fans every event out to several reporters.
class ReporterList : public Reporter {
 public:
  void Add(std::unique_ptr<Reporter> reporter) {
    reporters_.push_back(std::move(reporter));
  }
  void OnRunStart(const RunInfo& info) override {
    for (auto& r : reporters_) r->OnRunStart(info);
  }
  void OnTestEnd(const TestResult& result) override {
    for (auto& r : reporters_) r->OnTestEnd(result);
  }
  /// Every reporter gets the event; the first error is returned.
  Status OnRunEnd(const RunSummary& summary) override {
    Status first;
    for (auto& r : reporters_) {
      Status s = r->OnRunEnd(summary);
      if (!s.ok() && first.ok()) first = s;
    }
    return first;
  }

 private:
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace ipclab
