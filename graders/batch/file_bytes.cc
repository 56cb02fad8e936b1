#include "batch/file_bytes.h"

#include <fstream>
#include <sstream>

namespace ipclab {

Result<std::string> ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path.string()};
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace ipclab
