#include "batch/dashboard.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "report/number_format.h"

namespace ipclab {
namespace {

std::string Html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A path segment for a link: ids are directory names, which may hold
// characters a URL gives meaning to.
std::string UrlSegment(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Fixed(double v, const char* format = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

constexpr const char* kStyle = R"(<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}
tr:nth-child(even){background:#f4f4f4}.num{text-align:right}
.bad{color:#a00}svg text{font-size:11px}#students td:first-child{white-space:nowrap}
</style>)";

std::string Histogram(const std::vector<BatchRecord>& records) {
  std::array<int, 10> bins{};
  for (const BatchRecord& r : records) {
    const double f = r.max_score > 0 ? r.score / r.max_score : 0;
    bins[std::min(9, int(f * 10))]++;
  }
  const int top = std::max(1, *std::max_element(bins.begin(), bins.end()));
  std::string svg =
      "<svg id=\"histogram\" width=\"520\" height=\"200\" "
      "role=\"img\" aria-label=\"score histogram\">";
  for (int i = 0; i < 10; ++i) {
    const int h = bins[i] * 150 / top;
    const int x = 10 + i * 50;
    svg += "<rect class=\"bar\" data-count=\"" + std::to_string(bins[i]) +
           "\" x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(170 - h) +
           "\" width=\"40\" height=\"" + std::to_string(h) +
           "\" fill=\"#4a7ab0\"/>";
    svg += "<text x=\"" + std::to_string(x + 20) + "\" y=\"" +
           std::to_string(165 - h) + "\" text-anchor=\"middle\">" +
           std::to_string(bins[i]) + "</text>";
    svg += "<text x=\"" + std::to_string(x + 20) +
           "\" y=\"188\" text-anchor=\"middle\">" + std::to_string(i * 10) +
           (i == 9 ? "-100%" : "%") + "</text>";
  }
  return svg + "</svg>";
}

struct TestRow {
  std::string id;
  int ran = 0, passed = 0;
  double mean = 0, max = 0;
};

std::vector<TestRow> TestRows(const std::vector<BatchRecord>& records,
                              const std::vector<GradebookColumn>& columns) {
  std::vector<TestRow> rows;
  for (const GradebookColumn& c : columns) {
    TestRow row{c.id};
    for (const BatchRecord& r : records) {
      for (const TestCell& cell : r.tests) {
        if (cell.id != c.id || cell.outcome == "skipped") continue;
        ++row.ran;
        row.passed += cell.outcome == "pass";
        row.mean += cell.seconds;
        row.max = std::max(row.max, cell.seconds);
      }
    }
    if (row.ran > 0) row.mean /= row.ran;
    rows.push_back(row);
  }
  return rows;
}

std::string PassRates(std::vector<TestRow> rows) {
  auto rate = [](const TestRow& r) {
    return r.ran ? double(r.passed) / r.ran : 1.0;
  };
  std::stable_sort(
      rows.begin(), rows.end(),
      [&](const TestRow& a, const TestRow& b) { return rate(a) < rate(b); });
  std::string html =
      "<table id=\"pass-rates\"><tr><th>test</th><th>passed</th><th></th>"
      "</tr>";
  for (const TestRow& r : rows) {
    const int width = int(rate(r) * 200);
    html += "<tr data-test=\"" + Html(r.id) + "\"><td>" + Html(r.id) +
            "</td><td class=\"num\">" + std::to_string(r.passed) + "/" +
            std::to_string(r.ran) +
            "</td><td><svg width=\"204\" "
            "height=\"12\"><rect width=\"200\" height=\"12\" fill=\"#ddd\"/>"
            "<rect width=\"" +
            std::to_string(width) +
            "\" height=\"12\" fill=\"#5a9a5a\"/></svg></td></tr>";
  }
  return html + "</table>";
}

std::string Slowest(std::vector<TestRow> rows) {
  std::sort(rows.begin(), rows.end(),
            [](const TestRow& a, const TestRow& b) { return a.max > b.max; });
  if (rows.size() > 10) rows.resize(10);
  std::string html =
      "<table id=\"slowest\"><tr><th>test</th><th>longest (s)</th>"
      "<th>mean (s)</th></tr>";
  for (const TestRow& r : rows) {
    html += "<tr><td>" + Html(r.id) + "</td><td class=\"num\">" +
            Fixed(r.max, "%.2f") + "</td><td class=\"num\">" +
            Fixed(r.mean, "%.2f") + "</td></tr>";
  }
  return html + "</table>";
}

// The limits a run can hit: the grading's own budget (state "timed out")
// and a test's deadline, output cap, process cap or memory cap.
bool IsLimit(const std::string& outcome) {
  return outcome == "timeout" || outcome == "output limit" ||
         outcome == "process limit" || outcome == "memory limit";
}

std::string Limited(const std::vector<BatchRecord>& records) {
  std::string items;
  for (const BatchRecord& r : records) {
    std::string what;
    if (r.state == BatchState::kTimedOut) what = "the whole grading's budget";
    for (const TestCell& c : r.tests) {
      if (!IsLimit(c.outcome)) continue;
      what += (what.empty() ? "" : ", ") + Html(c.id) + " (" + Html(c.outcome) +
              ")";
    }
    if (!what.empty()) {
      items += "<li data-limited=\"" + Html(r.id) + "\"><a href=\"#s-" +
               UrlSegment(r.id) + "\">" + Html(r.id) + "</a>: " + what +
               "</li>";
    }
  }
  return items.empty() ? "<p>None.</p>"
                       : "<ul id=\"limited\">" + items + "</ul>";
}

std::string Students(const std::vector<BatchRecord>& records) {
  std::string html =
      "<table id=\"students\"><tr><th>student</th><th>state</th>"
      "<th>score</th><th>failed tests</th><th>reports</th></tr>";
  for (const BatchRecord& r : records) {
    // The first few failed tests; the student's report has them all.
    std::string failed;
    int n = 0;
    for (const TestCell& c : r.tests) {
      if (c.outcome == "pass" || c.outcome == "skipped") continue;
      if (++n <= 6) failed += (failed.empty() ? "" : " ") + Html(c.id);
    }
    if (n > 6) failed += " and " + std::to_string(n - 6) + " more";
    const std::string dir = UrlSegment(r.id) + "/";
    html += "<tr id=\"s-" + UrlSegment(r.id) + "\" data-student=\"" +
            Html(r.id) + "\"><td>" + Html(r.id) + "</td><td" +
            (r.state == BatchState::kGraded ? "" : " class=\"bad\"") + ">" +
            Html(std::string(StateName(r.state))) + "</td><td class=\"num\">" +
            FormatPoints(r.score) + "/" + FormatPoints(r.max_score) +
            "</td><td>" + failed + "</td><td><a href=\"" + dir +
            "report.txt\">report</a> <a href=\"" + dir +
            "results.json\">results.json</a> <a href=\"" + dir +
            "junit.xml\">junit.xml</a></td></tr>";
  }
  return html + "</table>";
}

}  // namespace

std::string RenderDashboard(const std::string& lab,
                            const std::vector<BatchRecord>& records,
                            const std::vector<GradebookColumn>& columns) {
  const std::vector<TestRow> rows = TestRows(records, columns);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>ipclab: " +
         Html(lab) + "</title>" + kStyle + "</head><body><h1>" + Html(lab) +
         ": " + std::to_string(records.size()) +
         " submissions</h1><h2>Scores (share of the maximum)</h2>" +
         Histogram(records) + "<h2>Ended by a limit</h2>" + Limited(records) +
         "<h2>Students</h2>" + Students(records) +
         "<h2>Tests, the most failed first</h2>" + PassRates(rows) +
         "<h2>Slowest tests</h2>" + Slowest(rows) + "</body></html>\n";
}

}  // namespace ipclab
