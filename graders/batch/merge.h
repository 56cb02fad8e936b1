// `ipclab merge`: combines the outputs of sharded batches (--shard I/N, on
// several machines or Slurm array tasks) into one, as if one batch had
// graded every submission.
#pragma once

#include <filesystem>
#include <vector>

#include "core/spec.h"

namespace ipclab {

/// Copies every finished submission (a folder with record.json) of each
/// input into `out`, then writes the gradebook, summary and dashboard over
/// all of them. A student found in two inputs is an error, and nothing is
/// written. Returns the exit status: 0, or 2 with the reason on stderr.
int MergeBatches(const LabSpec& lab,
                 const std::vector<std::filesystem::path>& inputs,
                 const std::filesystem::path& out);

}  // namespace ipclab
