// The line parser of psh: turns one script line into a Pipeline.
//
// The parser knows nothing about processes; it only checks the grammar of the
// lab (words separated by blanks, "|", "<" and ">" as separate words) so that
// psh.cpp can trust every Pipeline it is handed.
#ifndef IPCLAB_PIPELINE_PARSE_HPP_
#define IPCLAB_PIPELINE_PARSE_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psh {

// One command of a pipeline, e.g. {"grep", "-v", "x"} for "grep -v x".
struct Command {
  // argv[0] is the program name, found on PATH by execvp. Never empty.
  std::vector<std::string> argv;
};

// "cmd1 args | cmd2 args | ... | cmdN args", with "< FILE" allowed on the
// first command and "> FILE" on the last.
struct Pipeline {
  std::vector<Command> commands;           // At least one.
  std::optional<std::string> input_file;   // "< FILE": stdin of commands[0].
  std::optional<std::string> output_file;  // "> FILE": stdout of the last.
};

// What a line turned out to be. A plain struct rather than a std::variant so
// that the code reading it stays obvious to someone new to C++.
struct ParseResult {
  enum class Kind {
    kNothing,      // Blank line or "# comment": skip it, status unchanged.
    kPipeline,     // `pipeline` is valid and ready to run.
    kSyntaxError,  // `error` says what is wrong; the line must not run.
  };
  Kind kind = Kind::kNothing;
  Pipeline pipeline;
  std::string error;
};

// Splits `line` into words at spaces and tabs. A trailing newline is a blank
// too, so lines can be passed exactly as they were read.
std::vector<std::string> SplitWords(std::string_view line);

// Parses one line of a psh script.
ParseResult ParseLine(std::string_view line);

}  // namespace psh

#endif  // IPCLAB_PIPELINE_PARSE_HPP_
