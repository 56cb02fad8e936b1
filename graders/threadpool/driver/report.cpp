#include "report.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <utility>

namespace pool_driver {
namespace {

// One lock for all output: a line is never cut by another thread's line,
// and once the final line is out nothing else is printed.
std::mutex output_mutex;
bool final_line_printed = false;
int final_status = 0;
std::string fail_context;

// The grader reads one line per record, so a message may not break lines.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// Callers hold output_mutex.
void PrintLine(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace

std::string Format(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  std::string text(length > 0 ? static_cast<std::size_t>(length) : 0, '\0');
  if (length > 0) std::vsnprintf(text.data(), text.size() + 1, format, args);
  va_end(args);
  return text;
}

void SetFailContext(std::string context) {
  std::lock_guard<std::mutex> lock(output_mutex);
  fail_context = std::move(context);
}

void Detail(const std::string& text) {
  std::lock_guard<std::mutex> lock(output_mutex);
  if (final_line_printed) return;
  PrintLine("detail: " + OneLine(text));
}

int Finish(const Verdict& verdict) {
  std::lock_guard<std::mutex> lock(output_mutex);
  if (final_line_printed) return final_status;
  final_line_printed = true;
  final_status = verdict.passed ? 0 : 1;
  std::string context = fail_context.empty() ? "" : fail_context + ": ";
  PrintLine(verdict.passed ? "PASS"
                           : "FAIL: " + context + OneLine(verdict.summary));
  return final_status;
}

void FailNow(const std::string& summary) {
  int status = Finish(Verdict::Fail(summary));
  // _Exit, not exit: exit would run static destructors while pool threads
  // are still running or stuck.
  std::_Exit(status);
}

}  // namespace pool_driver
