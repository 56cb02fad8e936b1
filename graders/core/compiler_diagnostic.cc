#include "core/compiler_diagnostic.h"

#include <regex>

namespace ipclab {

std::optional<SourcePosition> FirstCompilerError(std::string_view output) {
  static const std::regex kError(
      R"(^([^\s:][^:\n]*):([0-9]+):(?:[0-9]+:)? (?:fatal )?error:)",
      std::regex::multiline);
  const std::string text(output);
  for (std::sregex_iterator it(text.begin(), text.end(), kError), end;
       it != end; ++it) {
    const std::string file = (*it)[1].str();
    // Outside the submission: nothing the student can open and fix there.
    if (file.front() == '/' || file.rfind("../", 0) == 0 ||
        file.find("/../") != std::string::npos) {
      continue;
    }
    const int line = std::stoi((*it)[2].str().substr(0, 9));
    if (line > 0) return SourcePosition{file, line};
  }
  return std::nullopt;
}

}  // namespace ipclab
