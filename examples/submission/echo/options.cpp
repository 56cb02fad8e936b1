// Parsing of echo-server's command line. See options.hpp.
#include "options.hpp"

#include <arpa/inet.h>

#include <string>
#include <string_view>
#include <utility>

namespace echo {
namespace {

// Parses a decimal number in [min, max]. Only digits are accepted: no sign,
// no blanks, no "0x". std::stoi would accept " 12abc" and throw on overflow,
// which is why the digits are checked by hand.
bool ParseNumber(std::string_view text, long min, long max, long* value) {
  if (text.empty() || text.size() > 9) return false;  // 9 digits fit a long.
  long result = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  if (result < min || result > max) return false;
  *value = result;
  return true;
}

ParseResult Error(std::string message) {
  ParseResult result;
  result.kind = ParseResult::Kind::kError;
  result.error = std::move(message);
  return result;
}

}  // namespace

const char* UsageText() {
  return "usage: echo-server [--port PORT] [--mode fork|thread|pool]\n"
         "                   [--workers N] [--queue Q] [--bind ADDR]\n"
         "  --port PORT   TCP port, 0-65535; 0 lets the kernel pick (default "
         "0)\n"
         "  --mode MODE   fork, thread or pool (default thread)\n"
         "  --workers N   pool mode: worker threads, 1-1024 (default 4)\n"
         "  --queue Q     pool mode: waiting connections, 1-65536 (default "
         "16)\n"
         "  --bind ADDR   IPv4 address to listen on (default 127.0.0.1)\n";
}

ParseResult ParseArguments(int argc, const char* const argv[]) {
  ParseResult result;
  Options& options = result.options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view option = argv[i];
    if (option == "--help" || option == "-h") {
      result.kind = ParseResult::Kind::kHelp;
      return result;
    }
    if (option != "--port" && option != "--mode" && option != "--workers" &&
        option != "--queue" && option != "--bind") {
      return Error("unknown option '" + std::string(option) + "'");
    }
    if (i + 1 >= argc) {
      return Error("option " + std::string(option) + " needs a value");
    }
    const std::string_view value = argv[++i];
    const std::string quoted = "'" + std::string(value) + "'";
    long number = 0;
    if (option == "--port") {
      if (!ParseNumber(value, 0, 65535, &number)) {
        return Error("--port wants a number from 0 to 65535, not " + quoted);
      }
      options.port = static_cast<std::uint16_t>(number);
    } else if (option == "--mode") {
      if (value == "fork") {
        options.mode = Mode::kFork;
      } else if (value == "thread") {
        options.mode = Mode::kThread;
      } else if (value == "pool") {
        options.mode = Mode::kPool;
      } else {
        return Error("--mode wants fork, thread or pool, not " + quoted);
      }
    } else if (option == "--workers") {
      if (!ParseNumber(value, 1, kMaxWorkers, &number)) {
        return Error("--workers wants a number from 1 to " +
                     std::to_string(kMaxWorkers) + ", not " + quoted);
      }
      options.workers = static_cast<int>(number);
    } else if (option == "--queue") {
      if (!ParseNumber(value, 1, kMaxQueue, &number)) {
        return Error("--queue wants a number from 1 to " +
                     std::to_string(kMaxQueue) + ", not " + quoted);
      }
      options.queue = static_cast<int>(number);
    } else {  // --bind
      in_addr address{};
      if (inet_pton(AF_INET, std::string(value).c_str(), &address) != 1) {
        return Error("--bind wants an IPv4 address such as 127.0.0.1, not " +
                     quoted);
      }
      options.bind_address = std::string(value);
    }
  }
  return result;
}

}  // namespace echo
