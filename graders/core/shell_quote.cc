#include "core/shell_quote.h"

namespace ipclab {

std::string ShellQuote(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() &&
                 a.find_first_not_of(
                     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                     "OPQRSTUVWXYZ0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      // Inside single quotes nothing is special but the quote itself:
      // close, add an escaped quote, reopen.
      out += '\'';
      for (char c : a) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      }
      out += '\'';
    }
  }
  return out;
}

}  // namespace ipclab
