// Report files are read by other programs (CI uploaders, Gradescope) that may
// look at them at any moment, including after the grader was killed. Writing
// to a temporary file and renaming it over the target means they see either
// the old file or the complete new one, never a prefix.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/error.h"

namespace ipclab {

/// Replaces `path` with `content`: creates missing parent directories, writes
/// a temporary file beside the target, flushes it to disk and renames it
/// over the target. On failure the target is untouched, the temporary file
/// is removed, and the Error names the path and the system's reason.
Status WriteFileAtomically(const std::filesystem::path& path,
                           std::string_view content);

}  // namespace ipclab
