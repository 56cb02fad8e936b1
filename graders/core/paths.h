// Where ipclab finds its parts. Every executable lives in build/bin; lab
// specs and references live in the source tree. Both can be overridden by
// environment variables for an installed or relocated grader.
#pragma once

#include <filesystem>

namespace ipclab {

/// build/bin: the directory of the running executable, or $IPCLAB_BIN_DIR.
std::filesystem::path BinDir();

/// The source tree (holds labs/, skeletons/, the grader sources a lab
/// compiles): $IPCLAB_SOURCE_DIR; for an installed ipclab in
/// PREFIX/lib/ipclab, PREFIX/share/ipclab; else the tree this binary was
/// built from.
std::filesystem::path SourceDir();

}  // namespace ipclab
