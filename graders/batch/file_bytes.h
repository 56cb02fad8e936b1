// A whole file as bytes, for the batch's keys and records.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.h"

namespace ipclab {

/// The file's contents, or an Error naming it.
Result<std::string> ReadFileBytes(const std::filesystem::path& path);

}  // namespace ipclab
