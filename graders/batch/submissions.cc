#include "batch/submissions.h"

#include <algorithm>
#include <map>

#include "batch/content_hash.h"
#include "core/build_plan.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> Subdirectories(const fs::path& dir) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (entry.is_directory(ec)) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// GitHub Classroom's `gh classroom clone student-repos` puts each
// student's repository ASSIGNMENT-USERNAME in a folder named
// ASSIGNMENT-submissions: there, the id is USERNAME.
std::string ClassroomPrefix(const fs::path& dir) {
  const std::string name = dir.filename().string();
  const std::string suffix = "-submissions";
  if (name.size() <= suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  return name.substr(0, name.size() - suffix.size() + 1);  // "ASSIGNMENT-"
}

void AddChildren(const fs::path& dir, std::vector<Submission>& out) {
  const std::vector<fs::path> dirs = Subdirectories(dir);
  const bool gradescope = fs::exists(dir / "submission_metadata.yml");
  const std::string prefix = gradescope ? "" : ClassroomPrefix(dir);
  for (const fs::path& d : dirs) {
    const std::string name = d.filename().string();
    if (gradescope && name.rfind("submission_", 0) != 0) continue;
    const bool strip = !prefix.empty() && name.size() > prefix.size() &&
                       name.rfind(prefix, 0) == 0;
    out.push_back({strip ? name.substr(prefix.size()) : name, d});
  }
}

Status CheckUnique(const std::vector<Submission>& subs) {
  std::map<std::string, fs::path> seen;
  for (const Submission& s : subs) {
    auto [it, fresh] = seen.emplace(s.id, s.dir);
    if (!fresh) {
      return Error{"two submissions have the id '" + s.id +
                   "': " + it->second.string() + " and " + s.dir.string() +
                   ". Ids are directory names; rename one of them."};
    }
  }
  return {};
}

}  // namespace

Result<std::vector<Submission>> FindSubmissions(
    const std::vector<fs::path>& args, const BuildSpec& build) {
  std::vector<Submission> subs;
  for (const fs::path& arg : args) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) {
      return Error{arg.string() +
                   " is not a directory: give one directory "
                   "per submission, or a directory that holds them"};
    }
    fs::path dir = fs::absolute(arg).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();  // "dir/"
    if (!FindSources(build, dir).empty()) {
      subs.push_back({dir.filename().string(), dir});
    } else {
      AddChildren(dir, subs);
    }
  }
  std::sort(
      subs.begin(), subs.end(),
      [](const Submission& a, const Submission& b) { return a.id < b.id; });
  if (Status s = CheckUnique(subs); !s.ok()) return s.error();
  return subs;
}

bool InShard(const std::string& id, int index, int count) {
  if (count <= 1) return true;
  Fingerprint print;
  print.Add(id);
  const unsigned long long h = std::stoull(print.Hex(), nullptr, 16);
  return static_cast<int>(h % static_cast<unsigned long long>(count)) ==
         index - 1;
}

}  // namespace ipclab
