// ipclab-exit CODE
//
// Exits with CODE (0..255) without touching stdin, so a grader can check
// which exit status a student's shell reports for a pipeline.
//
// If IPCLAB_EXIT_MARKER names a file, it is created just before exiting: a
// grader that must act once this stage has ended (close the pipeline's
// stdin) learns that it ran even if the shell reaps it within microseconds,
// too fast to be seen in /proc.

#include <errno.h>
#include <fcntl.h>
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
      if (const char* marker = getenv("IPCLAB_EXIT_MARKER");
          marker && *marker) {
        int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) close(fd);
      }
      return static_cast<int>(code);
    }
  }
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, kUsage, sizeof kUsage - 1);
  (void)ignored;
  return 2;
}
