// Commands shown to people ("Rerun:", "Command:", how to build): argv
// written so that a POSIX shell reads it back as the same words.
#pragma once

#include <string>
#include <vector>

namespace ipclab {

/// Quotes each word that needs it in single quotes, for copy and paste.
std::string ShellQuote(const std::vector<std::string>& argv);

}  // namespace ipclab
