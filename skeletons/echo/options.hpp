// Command-line options of echo-server:
//
//   echo-server [--port PORT] [--mode fork|thread|pool] [--workers N]
//               [--queue Q] [--bind ADDR]
//
// The parser only checks the syntax and the ranges of the values; whether the
// address can really be bound is found out later, by bind() itself.
#ifndef IPCLAB_ECHO_OPTIONS_HPP_
#define IPCLAB_ECHO_OPTIONS_HPP_

#include <cstdint>
#include <string>

namespace echo {

// How the server serves clients concurrently.
enum class Mode {
  kFork,    // One child process per connection.
  kThread,  // One thread per connection.
  kPool,    // A fixed set of worker threads fed by a bounded queue.
};

// The allowed ranges, checked by ParseArguments. Upper bounds are there so
// that a typo such as `--workers 40000` is refused instead of exhausting the
// machine; they are far above anything the lab needs.
inline constexpr int kMaxWorkers = 1024;
inline constexpr int kMaxQueue = 65536;

struct Options {
  std::uint16_t port = 0;  // 0: the kernel picks a free port.
  Mode mode = Mode::kThread;
  int workers = 4;  // Pool mode: number of worker threads, 1..kMaxWorkers.
  int queue = 16;   // Pool mode: accepted connections waiting, 1..kMaxQueue.
  std::string bind_address = "127.0.0.1";  // Dotted IPv4, e.g. 0.0.0.0.
};

// What the command line asks for. A plain struct rather than a std::variant
// so that the code reading it stays obvious to someone new to C++.
struct ParseResult {
  enum class Kind {
    kRun,    // `options` is valid: start the server.
    kHelp,   // --help: print the usage on stdout and exit 0.
    kError,  // `error` says what is wrong: usage on stderr, exit status 2.
  };
  Kind kind = Kind::kRun;
  Options options;
  std::string error;
};

// The usage text, ending in a newline.
const char* UsageText();

// Parses argv[1..argc-1]. Every option takes a value, as a separate word
// (`--port 8080`); an option given twice keeps its last value.
ParseResult ParseArguments(int argc, const char* const argv[]);

}  // namespace echo

#endif  // IPCLAB_ECHO_OPTIONS_HPP_
