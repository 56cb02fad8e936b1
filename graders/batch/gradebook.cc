#include "batch/gradebook.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "batch/dashboard.h"
#include "report/atomic_file.h"
#include "report/number_format.h"

namespace ipclab {
namespace {

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

const TestCell* FindCell(const BatchRecord& r, const std::string& id) {
  for (const TestCell& c : r.tests) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

// A test that was not run (skipped after a failed build, or no result at
// all) has no points to show.
bool Ran(const TestCell* cell) {
  return cell != nullptr && cell->outcome != "skipped";
}

struct TestStats {
  int ran = 0, passed = 0;
  double total_seconds = 0, max_seconds = 0;
};

TestStats StatsFor(const std::vector<BatchRecord>& records,
                   const std::string& id) {
  TestStats s;
  for (const BatchRecord& r : records) {
    const TestCell* c = FindCell(r, id);
    if (!Ran(c)) continue;
    ++s.ran;
    s.passed += c->outcome == "pass";
    s.total_seconds += c->seconds;
    s.max_seconds = std::max(s.max_seconds, c->seconds);
  }
  return s;
}

}  // namespace

std::string RenderGradebookCsv(const std::vector<BatchRecord>& records,
                               const std::vector<GradebookColumn>& columns) {
  std::string csv = "student,state,score,max_score";
  for (const GradebookColumn& c : columns) csv += "," + CsvField(c.id);
  csv += "\r\n";
  for (const BatchRecord& r : records) {
    csv += CsvField(r.id) + "," + CsvField(std::string(StateName(r.state))) +
           "," + FormatPoints(r.score) + "," + FormatPoints(r.max_score);
    for (const GradebookColumn& c : columns) {
      const TestCell* cell = FindCell(r, c.id);
      csv += ",";
      if (Ran(cell)) csv += FormatPoints(cell->points);
    }
    csv += "\r\n";
  }
  return csv;
}

std::string RenderSummaryJson(const std::string& lab,
                              const std::vector<BatchRecord>& records,
                              const std::vector<GradebookColumn>& columns) {
  nlohmann::json tests = nlohmann::json::array();
  for (const GradebookColumn& c : columns) {
    const TestStats s = StatsFor(records, c.id);
    tests.push_back({{"id", c.id},
                     {"max_points", c.max_points},
                     {"ran", s.ran},
                     {"passed", s.passed},
                     {"pass_rate", s.ran ? double(s.passed) / s.ran : 0.0},
                     {"mean_seconds", s.ran ? s.total_seconds / s.ran : 0.0},
                     {"max_seconds", s.max_seconds}});
  }
  std::map<std::string, int> states;
  nlohmann::json subs = nlohmann::json::array();
  for (const BatchRecord& r : records) {
    ++states[std::string(StateName(r.state))];
    subs.push_back(nlohmann::json::parse(RecordToJson(r)));
  }
  const nlohmann::json j = {{"lab", lab},
                            {"submissions", std::move(subs)},
                            {"tests", std::move(tests)},
                            {"states", states}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::vector<GradebookColumn> GradebookColumns(const LabSpec& lab) {
  std::vector<GradebookColumn> columns = {{"build", 0}};
  for (const TestSpec& t : lab.tests) columns.push_back({t.id, t.points});
  return columns;
}

Status WriteClassReports(const std::filesystem::path& out, const LabSpec& lab,
                         const std::vector<BatchRecord>& records) {
  const std::vector<GradebookColumn> columns = GradebookColumns(lab);
  for (const auto& [name, text] :
       {std::pair{"gradebook.csv", RenderGradebookCsv(records, columns)},
        std::pair{"summary.json",
                  RenderSummaryJson(lab.name, records, columns)},
        std::pair{"index.html", RenderDashboard(lab.name, records, columns)}}) {
    if (Status s = WriteFileAtomically(out / name, text); !s.ok()) return s;
  }
  return {};
}

void PrintTotals(const std::vector<BatchRecord>& records,
                 const std::filesystem::path& out) {
  std::map<std::string, int> states;
  for (const BatchRecord& r : records) {
    ++states[std::string(StateName(r.state))];
  }
  std::cout << records.size() << " submissions:";
  const char* sep = " ";
  for (const auto& [name, n] : states) {
    std::cout << sep << n << " " << name;
    sep = ", ";
  }
  std::cout << ".\nGradebook: " << (out / "gradebook.csv").string()
            << "\nSummary:   " << (out / "summary.json").string()
            << "\nDashboard: " << (out / "index.html").string() << "\n";
}

}  // namespace ipclab
