#include "batch/content_hash.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "batch/file_bytes.h"

namespace ipclab {

namespace fs = std::filesystem;

void Fingerprint::Add(std::string_view bytes) {
  for (unsigned char c : bytes) {
    state_ ^= c;
    state_ *= 1099511628211ull;
  }
}

void Fingerprint::AddField(std::string_view bytes) {
  Add(std::to_string(bytes.size()));
  Add(":");
  Add(bytes);
}

std::string Fingerprint::Hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(state_));
  return buf;
}

namespace {

// Every entry under `dir` except .git, as relative paths, sorted: directory
// iteration order is the file system's, not stable.
Result<std::vector<fs::path>> ListTree(const fs::path& dir) {
  std::vector<fs::path> entries;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) return Error{"cannot read " + dir.string() + ": " + ec.message()};
  for (; it != end; it.increment(ec)) {
    if (ec) return Error{"cannot read " + dir.string() + ": " + ec.message()};
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    entries.push_back(fs::relative(it->path(), dir));
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

Status AddEntry(Fingerprint& print, const fs::path& dir, const fs::path& rel) {
  const fs::path path = dir / rel;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec) return Error{"cannot read " + path.string() + ": " + ec.message()};
  print.AddField(rel.string());
  if (fs::is_symlink(st)) {
    print.AddField("link:" + fs::read_symlink(path, ec).string());
  } else if (fs::is_regular_file(st)) {
    auto bytes = ReadFileBytes(path);
    if (!bytes) return bytes.error();
    print.AddField(*bytes);
  } else {
    print.AddField(fs::is_directory(st) ? "dir" : "other");
  }
  return {};
}

}  // namespace

Result<std::string> HashTree(const fs::path& dir) {
  auto entries = ListTree(dir);
  if (!entries) return entries.error();
  Fingerprint print;
  for (const fs::path& rel : *entries) {
    if (Status s = AddEntry(print, dir, rel); !s.ok()) return s.error();
  }
  return print.Hex();
}

}  // namespace ipclab
