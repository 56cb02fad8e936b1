#include "error.h"

#include <cstring>

namespace ipclab {

std::string ErrnoMessage(const std::string& what, int err) {
  return what + ": " + std::strerror(err);
}

}  // namespace ipclab
