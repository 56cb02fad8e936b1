// ipclab-exit CODE
//
// Exits with CODE (0..255) without touching stdin, so a grader can check
// which exit status a student's shell reports for a pipeline.

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

namespace {

constexpr char kUsage[] = "ipclab-exit: usage: ipclab-exit CODE (0..255)\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && argv[1][0] >= '0' && argv[1][0] <= '9') {
    char* end = nullptr;
    errno = 0;
    long code = strtol(argv[1], &end, 10);
    if (errno == 0 && *end == '\0' && code <= 255) {
      return static_cast<int>(code);
    }
  }
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, kUsage, sizeof kUsage - 1);
  (void)ignored;
  return 2;
}
