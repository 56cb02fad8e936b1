#include "echo/io_shim.h"

#include <elf.h>

#include <fstream>

#include "echo/shim/io_shim_counts.h"

namespace ipclab {

// How often, once each thread's first call has been hit: 1 call in N.
// Often enough that every session of a few kilobytes meets several, rare
// enough that a correct server still spends most calls doing work.
constexpr int kShortWritePeriod = 3;
constexpr int kEintrPeriod = 4;

Result<Injection> ParseInjection(const std::vector<std::string>& names) {
  Injection injection;
  for (const std::string& name : names) {
    if (name == "short-writes") {
      injection.short_writes = true;
    } else if (name == "eintr") {
      injection.eintr = true;
    } else {
      return Error{"'inject' takes short-writes and eintr, not '" + name + "'"};
    }
  }
  return injection;
}

std::vector<std::string> InjectionEnvironment(
    const Injection& injection, const std::filesystem::path& helpers,
    const std::filesystem::path& counts_file) {
  std::error_code ec;
  std::filesystem::remove(counts_file, ec);
  std::vector<std::string> env{
      "LD_PRELOAD=" + (helpers / "libipclab-io-shim.so").string(),
      "IPCLAB_IO_COUNTS=" + counts_file.string()};
  if (injection.short_writes) {
    env.push_back("IPCLAB_IO_SHORT=" + std::to_string(kShortWritePeriod));
  }
  if (injection.eintr) {
    env.push_back("IPCLAB_IO_EINTR=" + std::to_string(kEintrPeriod));
  }
  return env;
}

std::optional<InjectionCounts> ReadInjectionCounts(
    const std::filesystem::path& counts_file) {
  std::ifstream in(counts_file, std::ios::binary);
  // The shim's layout: three lock-free atomics of long.
  static_assert(sizeof(IoShimCounts) == 3 * sizeof(long));
  long values[3] = {};
  if (!in.read(reinterpret_cast<char*>(values), sizeof values)) {
    return std::nullopt;
  }
  return InjectionCounts{values[0], values[1], values[2]};
}

std::string DescribeInjection(const Injection& injection,
                              const InjectionCounts& counts) {
  std::string text =
      "To check that your server copes with what any real "
      "system may do, the grader ran it with a small library "
      "(LD_PRELOAD) that, after running a signal handler "
      "(SIGURG, installed without SA_RESTART), made";
  if (injection.short_writes) {
    text += " " + std::to_string(counts.short_writes) +
            " send()/write() calls on sockets send only part of the bytes "
            "(POSIX: a write interrupted by a signal after some data "
            "returns the number of bytes written)";
  }
  if (injection.short_writes && injection.eintr) text += ", and";
  if (injection.eintr) {
    text += " " + std::to_string(counts.eintrs) +
            " recv()/read()/accept()/poll() calls fail with errno EINTR "
            "(POSIX: interrupted by a signal before any data was "
            "transferred)";
  }
  text +=
      ". A correct server sends the rest of a short write, and simply "
      "retries a call that failed with EINTR.";
  return text;
}

bool IsStaticallyLinked(const std::filesystem::path& exe) {
  std::ifstream in(exe, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header)) return false;
  if (std::string(reinterpret_cast<char*>(header.e_ident), 4) != ELFMAG ||
      header.e_ident[EI_CLASS] != ELFCLASS64) {
    return false;  // Not a 64-bit ELF file: a script, say. Not our case.
  }
  for (int i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr ph{};
    in.seekg(header.e_phoff + std::streamoff(i) * header.e_phentsize);
    if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return false;
    if (ph.p_type == PT_INTERP) return false;
  }
  return true;
}

}  // namespace ipclab
