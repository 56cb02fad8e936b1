// The line parser of psh. See parse.hpp for the grammar it accepts.
#include "parse.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace psh {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

bool IsOperator(std::string_view word) {
  return word == "|" || word == "<" || word == ">";
}

ParseResult SyntaxError(std::string message) {
  ParseResult result;
  result.kind = ParseResult::Kind::kSyntaxError;
  result.error = std::move(message);
  return result;
}

}  // namespace

std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !IsBlank(line[i])) ++i;
    if (i > start) words.emplace_back(line.substr(start, i - start));
  }
  return words;
}

ParseResult ParseLine(std::string_view line) {
  const std::vector<std::string> words = SplitWords(line);
  if (words.empty() || words[0][0] == '#') return ParseResult{};

  Pipeline pipeline;
  Command current;
  // The whole line is checked before anything runs: a shell that ran half a
  // line and then noticed a typo would leave the student guessing what ran.
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "|") {
      if (current.argv.empty()) {
        return SyntaxError(pipeline.commands.empty()
                               ? "a line cannot start with \"|\": put a "
                                 "command before it"
                               : "empty command between two \"|\"");
      }
      if (pipeline.output_file) {
        return SyntaxError(
            "\">\" is only allowed on the last command of a pipeline");
      }
      pipeline.commands.push_back(std::move(current));
      current = Command{};
    } else if (word == "<" || word == ">") {
      if (i + 1 == words.size() || IsOperator(words[i + 1])) {
        return SyntaxError("\"" + word + "\" must be followed by a file name");
      }
      const std::string& file = words[++i];
      if (word == "<") {
        if (!pipeline.commands.empty()) {
          return SyntaxError(
              "\"<\" is only allowed on the first command of a pipeline");
        }
        if (pipeline.input_file) return SyntaxError("more than one \"<\"");
        pipeline.input_file = file;
      } else {
        if (pipeline.output_file) return SyntaxError("more than one \">\"");
        pipeline.output_file = file;
      }
    } else {
      current.argv.push_back(word);
    }
  }
  if (current.argv.empty()) {
    // Either the line ends with "|", or a command is only a redirection
    // ("> out"), which sh would accept but this lab does not.
    return SyntaxError(words.back() == "|"
                           ? "a line cannot end with \"|\": put a command "
                             "after it"
                           : "a redirection needs a command to go with it");
  }
  pipeline.commands.push_back(std::move(current));

  ParseResult result;
  result.kind = ParseResult::Kind::kPipeline;
  result.pipeline = std::move(pipeline);
  return result;
}

}  // namespace psh
