#include "batch/batch_record.h"

#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "batch/file_bytes.h"

namespace ipclab {

namespace fs = std::filesystem;

namespace {

constexpr std::pair<BatchState, std::string_view> kStateNames[] = {
    {BatchState::kGraded, "graded"},
    {BatchState::kBuildFailed, "build failed"},
    {BatchState::kGradingError, "grading error"},
    {BatchState::kTimedOut, "timed out"},
};

// "3/4" (a points.ID property) into earned and possible points.
void ParsePoints(const std::string& text, TestCell& cell) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return;
  cell.points = std::strtod(text.c_str(), nullptr);
  cell.max_points = std::strtod(text.c_str() + slash + 1, nullptr);
}

std::string OutcomeOf(const pugi::xml_node& testcase) {
  for (const char* element : {"failure", "error"}) {
    if (pugi::xml_node n = testcase.child(element)) {
      return n.attribute("type").as_string(element);
    }
  }
  return testcase.child("skipped") ? "skipped" : "pass";
}

}  // namespace

std::string_view StateName(BatchState s) {
  for (const auto& [state, name] : kStateNames) {
    if (state == s) return name;
  }
  return "?";
}

Result<std::vector<TestCell>> ReadJUnitCells(const fs::path& junit) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(junit.c_str());
  if (!parsed) {
    return Error{junit.string() + ": " + parsed.description()};
  }
  std::vector<TestCell> cells;
  for (pugi::xml_node suite : doc.child("testsuites").children("testsuite")) {
    std::map<std::string, std::string> points;
    for (pugi::xml_node p : suite.child("properties").children("property")) {
      points[p.attribute("name").as_string()] =
          p.attribute("value").as_string();
    }
    for (pugi::xml_node tc : suite.children("testcase")) {
      TestCell cell;
      cell.id = tc.attribute("name").as_string();
      cell.seconds = tc.attribute("time").as_double();
      cell.outcome = OutcomeOf(tc);
      ParsePoints(points["points." + cell.id], cell);
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

std::string RecordToJson(const BatchRecord& r) {
  nlohmann::json tests = nlohmann::json::array();
  for (const TestCell& c : r.tests) {
    tests.push_back({{"id", c.id},
                     {"outcome", c.outcome},
                     {"points", c.points},
                     {"max_points", c.max_points},
                     {"seconds", c.seconds}});
  }
  const nlohmann::json j = {{"id", r.id},
                            {"state", std::string(StateName(r.state))},
                            {"hash", r.hash},
                            {"score", r.score},
                            {"max_score", r.max_score},
                            {"seconds", r.seconds},
                            {"note", r.note},
                            {"tests", std::move(tests)}};
  return j.dump(2) + "\n";
}

namespace {

Result<BatchRecord> RecordFromJson(const nlohmann::json& j) {
  BatchRecord r;
  r.id = j.at("id").get<std::string>();
  const std::string state = j.at("state").get<std::string>();
  bool known = false;
  for (const auto& [s, name] : kStateNames) {
    if (name == state) r.state = s, known = true;
  }
  if (!known) return Error{"unknown state '" + state + "'"};
  r.hash = j.at("hash").get<std::string>();
  r.score = j.at("score").get<double>();
  r.max_score = j.at("max_score").get<double>();
  r.seconds = j.at("seconds").get<double>();
  r.note = j.value("note", "");
  for (const auto& t : j.at("tests")) {
    r.tests.push_back(
        {t.at("id").get<std::string>(), t.at("outcome").get<std::string>(),
         t.at("points").get<double>(), t.at("max_points").get<double>(),
         t.at("seconds").get<double>()});
  }
  return r;
}

}  // namespace

Result<BatchRecord> ReadRecord(const fs::path& path) {
  auto text = ReadFileBytes(path);
  if (!text) return text.error();
  // nlohmann throws on bad input; this is the one place that reads a record.
  try {
    return RecordFromJson(nlohmann::json::parse(*text));
  } catch (const nlohmann::json::exception& e) {
    return Error{path.string() + ": " + e.what()};
  }
}

}  // namespace ipclab
