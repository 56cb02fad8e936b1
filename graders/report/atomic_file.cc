#include "report/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <vector>

namespace ipclab {
namespace {

Error Failure(const std::filesystem::path& path, const std::string& what,
              int err) {
  return Error{
      ErrnoMessage("cannot write " + path.string() + ": " + what, err)};
}

// write(2) may write less than asked and may be interrupted by a signal.
bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Makes the rename itself durable. Some file systems cannot fsync a
// directory; the file is already complete then, so this is best effort.
void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Status WriteFileAtomically(const std::filesystem::path& path,
                           std::string_view content) {
  if (path.filename().empty()) {
    return Error{"cannot write " + path.string() + ": not a file name"};
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Failure(path, "cannot create directory " + dir.string(), ec.value());
  }

  // Same directory, so rename(2) stays on one file system and is atomic; a
  // dot name, so directory listings and report globs skip it. O_CLOEXEC:
  // the grader spawns student programs from other threads, which must not
  // inherit the descriptor.
  const std::string pattern =
      (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> temp(pattern.begin(), pattern.end());
  temp.push_back('\0');
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return Failure(path, "cannot create a temporary file", err);
  }

  auto fail = [&](const std::string& what) -> Status {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.data());
    return Failure(path, what, err);
  };
  // mkstemp creates 0600; a report must be readable by the CI uploader or
  // the Gradescope harness, which may run as another user. Reports hold
  // nothing secret.
  if (::fchmod(fd, 0644) != 0) return fail("fchmod");
  if (!WriteAll(fd, content)) return fail("write");
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.data());
    return Failure(path, "close", err);
  }
  if (::rename(temp.data(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.data());
    return Failure(path, "rename", err);
  }
  SyncDirectory(dir);
  return {};
}

}  // namespace ipclab
