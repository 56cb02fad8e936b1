#include "core/paths.h"

#include <cstdlib>

namespace ipclab {

std::filesystem::path BinDir() {
  if (const char* env = std::getenv("IPCLAB_BIN_DIR"); env && *env) {
    return env;
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("IPCLAB_SOURCE_DIR"); env && *env) {
    return env;
  }
  // Installed (`cmake --install`): PREFIX/lib/ipclab/ipclab reads
  // PREFIX/share/ipclab.
  std::error_code ec;
  const auto installed = BinDir() / ".." / ".." / "share" / "ipclab";
  if (std::filesystem::is_directory(installed / "labs", ec)) {
    return installed.lexically_normal();
  }
  return IPCLAB_SOURCE_DIR;  // Set by CMake to the checkout it built from.
}

}  // namespace ipclab
