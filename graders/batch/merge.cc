#include "batch/merge.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "batch/batch_record.h"
#include "batch/gradebook.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

struct Found {
  BatchRecord record;
  fs::path dir;
};

// Every finished submission of every input, by id; an id twice is an error.
Result<std::map<std::string, Found>> Collect(
    const std::vector<fs::path>& inputs) {
  std::map<std::string, Found> found;
  for (const fs::path& in : inputs) {
    std::error_code ec;
    if (!fs::is_directory(in, ec)) {
      return Error{in.string() + " is not a batch's output folder"};
    }
    for (const auto& entry : fs::directory_iterator(in, ec)) {
      auto record = ReadRecord(entry.path() / "record.json");
      if (!record) continue;  // Not a finished submission (or .work).
      const std::string id = record->id;
      auto [it, fresh] =
          found.emplace(id, Found{std::move(*record), entry.path()});
      if (!fresh) {
        return Error{"student '" + id + "' is in both " +
                     it->second.dir.string() + " and " + entry.path().string() +
                     ": were the shards given the same --shard?"};
      }
    }
  }
  return found;
}

Status CopyInto(const std::map<std::string, Found>& found,
                const fs::path& out) {
  for (const auto& [id, f] : found) {
    const fs::path to = out / id;
    std::error_code ec;
    if (fs::equivalent(f.dir, to, ec)) continue;
    fs::remove_all(to, ec);
    fs::copy(f.dir, to, fs::copy_options::recursive, ec);
    if (ec) {
      return Error{"cannot copy " + f.dir.string() + " to " + to.string() +
                   ": " + ec.message()};
    }
  }
  return {};
}

}  // namespace

int MergeBatches(const LabSpec& lab, const std::vector<fs::path>& inputs,
                 const fs::path& out) {
  auto found = Collect(inputs);
  std::error_code ec;
  fs::create_directories(out, ec);
  Status s = found ? CopyInto(*found, out) : Status(found.error());
  std::vector<BatchRecord> records;
  if (s.ok()) {
    for (auto& [id, f] : *found) records.push_back(std::move(f.record));
    s = WriteClassReports(out, lab, records);
  }
  if (!s.ok()) {
    std::cerr << "ipclab merge: " << s.error().message << "\n";
    return 2;
  }
  PrintTotals(records, out);
  return 0;
}

}  // namespace ipclab
