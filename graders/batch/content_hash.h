// A stable fingerprint of a submission's files, so a resumed batch can tell
// a finished result that still matches its submission from a stale one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace ipclab {

/// 64-bit FNV-1a: stable across runs, machines and builds (std::hash is
/// not). A fingerprint to notice change, not a defence against forgery.
class Fingerprint {
 public:
  void Add(std::string_view bytes);
  /// Adds a length first, so ("ab","c") and ("a","bc") differ.
  void AddField(std::string_view bytes);
  std::string Hex() const;

 private:
  std::uint64_t state_ = 14695981039346656037ull;
};

/// The fingerprint of every regular file under `dir` (relative path and
/// contents, in sorted order), skipping .git. Symlinks count by their
/// target text, never followed, so a link out of the directory changes
/// nothing it cannot see.
Result<std::string> HashTree(const std::filesystem::path& dir);

}  // namespace ipclab
