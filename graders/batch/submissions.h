// Which submissions a batch grades, and the student id each one gets. The
// recognised layouts are listed in docs/instructors.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/spec.h"

namespace ipclab {

struct Submission {
  std::string id;  // The student id: a directory name, made unique.
  std::filesystem::path dir;
};

/// Expands the batch's arguments into submissions, sorted by id:
/// - a directory holding the lab's sources (its build globs) is one
///   submission, with its own name as the id;
/// - a Gradescope export (submission_metadata.yml beside submission_*
///   folders) gives one submission per folder, id = the folder name;
/// - a GitHub Classroom clone (a folder ASSIGNMENT-submissions holding
///   ASSIGNMENT-USERNAME folders) gives one per folder, id = USERNAME;
/// - any other directory gives one submission per subdirectory.
/// Two submissions with the same id are an error that names both.
Result<std::vector<Submission>> FindSubmissions(
    const std::vector<std::filesystem::path>& args, const BuildSpec& build);

/// Whether `id` falls in shard `index` of `count` (1-based): a stable
/// split by a hash of the id, so every machine of a cluster agrees on it.
bool InShard(const std::string& id, int index, int count);

}  // namespace ipclab
