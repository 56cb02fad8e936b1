#include "report/cause_groups.h"

#include <algorithm>
#include <map>

#include "core/outcome.h"

namespace ipclab {

std::vector<CauseGroup> GroupByCause(const std::vector<TestResult>& results) {
  std::vector<CauseGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const TestResult& r : results) {
    if (!Info(r.outcome).is_failure || r.outcome == Outcome::kSkipped ||
        !r.cause.known()) {
      continue;
    }
    auto [it, added] = index.try_emplace(r.cause.id, groups.size());
    if (added) groups.push_back({r.cause, {}});
    groups[it->second].tests.push_back(&r);
  }
  std::erase_if(groups, [](const CauseGroup& g) { return g.tests.size() < 2; });
  std::stable_sort(groups.begin(), groups.end(),
                   [](const CauseGroup& a, const CauseGroup& b) {
                     return a.tests.size() > b.tests.size();
                   });
  return groups;
}

const CauseGroup* GroupOf(const std::vector<CauseGroup>& groups,
                          const TestResult& result) {
  for (const CauseGroup& g : groups) {
    if (std::find(g.tests.begin(), g.tests.end(), &result) != g.tests.end()) {
      return &g;
    }
  }
  return nullptr;
}

std::string LeadLine(const CauseGroup& group, bool first) {
  return std::to_string(group.tests.size()) + " tests failed because " +
         group.cause.because + " (" + group.cause.id + "): fix this " +
         (first ? "first." : "next.");
}

std::string AlsoFound(const CauseGroup& group, std::size_t max_lines) {
  std::vector<std::string> lines;
  std::size_t more = 0;
  for (const TestResult* t : group.tests) {
    for (const std::string& problem : t->also) {
      if (lines.size() < max_lines) {
        lines.push_back(t->id + ": " + problem);
      } else {
        ++more;
      }
    }
  }
  if (lines.empty()) return "";
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  if (more > 0) out += "... and " + std::to_string(more) + " more\n";
  return out;
}

std::string ReferenceLine(const CauseGroup& group) {
  return "Cause: " + group.cause.id + ", shared by " +
         std::to_string(group.tests.size()) +
         " tests; the explanation and the hint are under " +
         group.tests.front()->id + ".";
}

std::string TestIds(const CauseGroup& group) {
  std::string ids;
  for (const TestResult* t : group.tests) {
    ids += (ids.empty() ? "" : ", ") + t->id;
  }
  return ids;
}

Tally Count(const std::vector<TestResult>& results) {
  Tally t;
  for (const TestResult& r : results) {
    if (r.outcome == Outcome::kSkipped) {
      ++t.not_run;
    } else if (Info(r.outcome).is_failure) {
      ++t.failed;
    } else {
      ++t.passed;
    }
  }
  return t;
}

std::string TallyText(const Tally& t) {
  std::string text = std::to_string(t.passed) + " passed, " +
                     std::to_string(t.failed) + " failed";
  if (t.not_run > 0) text += ", " + std::to_string(t.not_run) + " not run";
  return text;
}

}  // namespace ipclab
