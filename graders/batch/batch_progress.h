// What a batch tells the person waiting for it: done/total, the rate, the
// time left, and which submissions are being graded. On a terminal one
// line is redrawn in place; otherwise (a log, CI) each finished submission
// prints one plain line.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include "batch/batch_record.h"

namespace ipclab {

class BatchProgress {
 public:
  BatchProgress(std::FILE* out, bool terminal, int total, int already_done);
  void Started(const std::string& id);
  void Finished(const BatchRecord& record);
  /// Ends the redrawn line on a terminal.
  void Close();

 private:
  std::string RateAndEta() const;
  void Redraw();

  std::FILE* out_;
  bool terminal_;
  int total_, done_, graded_here_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::set<std::string> current_;
  std::mutex mu_;
};

}  // namespace ipclab
