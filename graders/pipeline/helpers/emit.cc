// ipclab-emit BYTES [SEED]
// ipclab-emit --check BYTES [SEED]
//
// The first form writes exactly BYTES bytes (or endlessly, for "inf") of a
// deterministic pseudo-random stream to stdout, so a grader can push a lot
// of data through a student's pipeline. Every byte value occurs, so a stage
// that mangles bytes (text mode, NUL handling, lost chunks) gets caught.
// The second form reads stdin and checks it is exactly that stream.
//
// Exit status: 0 on success, 1 on a write error or a mismatch, 2 on a usage
// error. With SIGPIPE at its default, a vanished reader ends the writer by
// that signal, as it would any well-behaved Unix program.

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>

namespace {

constexpr char kPrefix[] = "ipclab-emit: ";
constexpr size_t kChunk = 64 * 1024;  // A multiple of 8, see Generator.

void Complain(const std::string& message) {
  std::string line = kPrefix + message + "\n";
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

// xorshift64, emitting each 64-bit state little-endian. Chunks are always
// whole multiples of 8 bytes, so the stream does not depend on chunking.
class Generator {
 public:
  explicit Generator(uint64_t seed) {
    // Spread the seed (splitmix64 step) so that small seeds give unrelated
    // streams, and avoid the all-zero state xorshift cannot leave.
    uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    state_ = (z ^ (z >> 31)) | 1;
  }

  void Fill(unsigned char* buf, size_t size) {
    for (size_t i = 0; i < size; i += 8) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      for (size_t b = 0; b < 8; ++b) {
        buf[i + b] = static_cast<unsigned char>(state_ >> (8 * b));
      }
    }
  }

 private:
  uint64_t state_;
};

bool ParseUnsigned(const char* text, uint64_t* value) {
  if (*text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *value = v;
  return true;
}

int Emit(bool endless, uint64_t total, Generator* gen) {
  static unsigned char buf[kChunk];
  uint64_t left = total;
  while (endless || left > 0) {
    gen->Fill(buf, kChunk);
    size_t size = (endless || left > kChunk) ? kChunk : left;
    left -= endless ? 0 : size;
    const unsigned char* p = buf;
    while (size > 0) {
      ssize_t n = write(STDOUT_FILENO, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EPIPE) {
        Complain(
            "write: Broken pipe (the reader has gone; normally SIGPIPE "
            "would have ended this program quietly)");
        return 1;
      }
      if (n < 0) {
        Complain(std::string("write: ") + strerror(errno));
        return 1;
      }
      p += n;
      size -= static_cast<size_t>(n);
    }
  }
  return 0;
}

int Check(uint64_t total, Generator* gen) {
  static unsigned char expected[kChunk];
  static unsigned char got[kChunk];
  uint64_t offset = 0;   // Bytes of input checked so far.
  size_t used = kChunk;  // Bytes of `expected` already compared.
  for (;;) {
    ssize_t n = read(STDIN_FILENO, got, sizeof got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Complain(std::string("--check: read from stdin: ") + strerror(errno));
      return 1;
    }
    if (n == 0) break;
    for (ssize_t i = 0; i < n; ++i, ++offset) {
      if (offset == total) {
        Complain("--check: input is longer than the expected " +
                 std::to_string(total) + " bytes (extra data at offset " +
                 std::to_string(offset) + ")");
        return 1;
      }
      if (used == kChunk) {
        gen->Fill(expected, kChunk);
        used = 0;
      }
      if (got[i] != expected[used]) {
        Complain("--check: first difference at byte offset " +
                 std::to_string(offset) + " (expected " +
                 std::to_string(expected[used]) + ", got " +
                 std::to_string(got[i]) + ")");
        return 1;
      }
      ++used;
    }
  }
  if (offset != total) {
    Complain("--check: input ended after " + std::to_string(offset) +
             " bytes, but " + std::to_string(total) +
             " were expected (first difference at byte offset " +
             std::to_string(offset) + ")");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool check = argc > 1 && strcmp(argv[1], "--check") == 0;
  int first = check ? 2 : 1;
  int rest = argc - first;
  bool endless = rest >= 1 && !check && strcmp(argv[first], "inf") == 0;
  uint64_t total = 0;
  uint64_t seed = 1;
  if (rest < 1 || rest > 2 ||
      (!endless && !ParseUnsigned(argv[first], &total)) ||
      (rest == 2 && !ParseUnsigned(argv[first + 1], &seed))) {
    Complain("usage: ipclab-emit BYTES|inf [SEED]");
    Complain("usage: ipclab-emit --check BYTES [SEED]");
    return 2;
  }
  Generator gen(seed);
  return check ? Check(total, &gen) : Emit(endless, total, &gen);
}
