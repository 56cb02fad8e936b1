#include "batch/batch_progress.h"

#include "report/number_format.h"

namespace ipclab {

BatchProgress::BatchProgress(std::FILE* out, bool terminal, int total,
                             int already_done)
    : out_(out),
      terminal_(terminal),
      total_(total),
      done_(already_done),
      start_(std::chrono::steady_clock::now()) {}

// The rate counts only what this run graded: resumed results came for free
// and would make the time left look shorter than it is.
std::string BatchProgress::RateAndEta() const {
  const double minutes =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count() /
      60.0;
  if (graded_here_ == 0 || minutes <= 0) return "rate not known yet";
  const double rate = graded_here_ / minutes;
  const double left_min = (total_ - done_) / rate;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.1f/min, about %d min %02d s left", rate,
                int(left_min), int(left_min * 60) % 60);
  return buf;
}

void BatchProgress::Redraw() {
  std::string now;
  for (const std::string& id : current_) now += (now.empty() ? "" : ", ") + id;
  if (now.size() > 40) now = now.substr(0, 37) + "...";
  std::fprintf(out_, "\r\033[K[%d/%d] %s; grading: %s", done_, total_,
               RateAndEta().c_str(), now.empty() ? "-" : now.c_str());
  std::fflush(out_);
}

void BatchProgress::Started(const std::string& id) {
  std::lock_guard lock(mu_);
  current_.insert(id);
  if (terminal_) Redraw();
}

void BatchProgress::Finished(const BatchRecord& r) {
  std::lock_guard lock(mu_);
  current_.erase(r.id);
  ++done_;
  ++graded_here_;
  if (terminal_) {
    Redraw();
    return;
  }
  std::fprintf(out_, "[%d/%d] %s: %s, %s/%s (%.1f s); %s\n", done_, total_,
               r.id.c_str(), std::string(StateName(r.state)).c_str(),
               FormatPoints(r.score).c_str(), FormatPoints(r.max_score).c_str(),
               r.seconds, RateAndEta().c_str());
  std::fflush(out_);
}

void BatchProgress::Close() {
  std::lock_guard lock(mu_);
  if (terminal_) std::fprintf(out_, "\n");
}

}  // namespace ipclab
