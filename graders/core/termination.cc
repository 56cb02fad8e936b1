#include "core/termination.h"

#include <csignal>
#include <cstdio>

namespace ipclab {
namespace {

std::string Seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ms.count() / 1000.0);
  return buf;
}

Verdict Ending(Outcome outcome, std::string summary, std::string how) {
  return Verdict::Fail(outcome, std::move(summary),
                       {{"How it ended", std::move(how)}});
}

Verdict Deadline(const LaunchResult& r, const EndingContext& c) {
  std::string summary = c.who + " was still running after " +
                        Seconds(r.deadline) + " s, the test's deadline";
  if (c.reference_seconds) {
    summary +=
        "; the reference finished in " +
        std::to_string(static_cast<long long>(*c.reference_seconds * 1000)) +
        " ms";
  }
  return Ending(
      Outcome::kTimeout, summary + ".",
      "At the deadline (" + Seconds(r.deadline) +
          " s for this test) the grader kills every process the test "
          "started. A correct program needs a small part of it: the "
          "deadline only tells a program that hangs from one that is slow.");
}

Verdict OutputLimit(const LaunchResult& r, const EndingContext& c) {
  const bool on_stdout =
      r.out_bytes > r.output_cap || r.out_bytes >= r.err_bytes;
  const std::string cap = FormatBytes(r.output_cap);
  return Ending(
      Outcome::kOutputLimit,
      c.who + " printed more than " + cap + " on " +
          (on_stdout ? "stdout" : "stderr") +
          ", the grader's cap for one "
          "stream, and was stopped.",
      "Each of stdout and stderr may carry at most " + cap +
          " in one test (the grader's cap); past it the grader kills every "
          "process of the test, so a runaway loop cannot fill the disk or "
          "the log. It had printed " +
          std::to_string(r.out_bytes) + " bytes on stdout and " +
          std::to_string(r.err_bytes) + " on stderr.");
}

Verdict ProcessLimit(const LaunchResult& r, const EndingContext& c) {
  const std::string limit = std::to_string(r.limits.processes);
  return Ending(
      Outcome::kFail,
      c.who + " had more than " + limit +
          " processes at once, the grader's "
          "limit for one test, so the grader stopped it.",
      "The grader counts the processes of a test that exist at the same "
      "time (threads do not count). A correct program needs a handful; past " +
          limit +
          " the grader kills them all, so a fork loop cannot take "
          "the machine down.");
}

Verdict MemoryLimit(const LaunchResult& r, const EndingContext& c) {
  const std::string limit = r.limits.address_space
                                ? FormatBytes(r.limits.address_space)
                                : std::string("the memory allowed");
  return Ending(
      Outcome::kFail,
      c.who + " used more than " + limit +
          " of memory, the grader's limit "
          "for one test, and was stopped.",
      "The grader limits the memory of a test's processes to " + limit +
          ", far more than a correct program needs; past it the kernel "
          "kills the test's processes, so a leak in a loop cannot take the "
          "machine down.");
}

}  // namespace

std::string FormatBytes(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) {
    return std::to_string(bytes >> 10) + " KiB";
  }
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::string SignalMeaning(int signal) {
  switch (signal) {
    case SIGSEGV:
      return "The kernel sends SIGSEGV when a program touches memory it "
             "does not own: a bad or null pointer, an index out of bounds, "
             "a stack overflow.";
    case SIGABRT:
      return "SIGABRT comes from abort(): a failed assert, a C++ exception "
             "nobody caught (std::terminate), or glibc finding a corrupted "
             "heap (a double free).";
    case SIGPIPE:
      return "The kernel sends SIGPIPE to a process that writes to a pipe "
             "or socket whose reading end is closed everywhere; its default "
             "action ends the process (POSIX, write()).";
    case SIGBUS:
      return "The kernel sends SIGBUS for an access the hardware cannot "
             "make, such as a mapped file past its end.";
    case SIGFPE:
      return "The kernel sends SIGFPE for an arithmetic fault, usually an "
             "integer division by zero.";
    case SIGILL:
      return "The kernel sends SIGILL for an illegal instruction: often a "
             "function that fell off its end without returning a value.";
    case SIGKILL:
      return "SIGKILL cannot be caught; the grader did not send it to end "
             "this run, so it came from the program itself or the kernel "
             "(out of memory).";
    default:
      return "Its default action ends the process (POSIX <signal.h>), and "
             "the program did not handle it.";
  }
}

std::optional<Verdict> JudgeTermination(const LaunchResult& r,
                                        const EndingContext& c) {
  switch (r.termination) {
    case Termination::kExited:
    case Termination::kStopped:
      return std::nullopt;
    case Termination::kNotStarted:
      return Ending(Outcome::kError,
                    c.who + " could not be started: " + r.exec_error + ".",
                    "exec() failed, so none of it ran. The file must exist "
                    "and be executable, and a script's #! line must name "
                    "an interpreter that exists.");
    case Termination::kSignalled:
      return Ending(Outcome::kCrash,
                    c.who + " was " + r.status.Describe() + ".",
                    SignalMeaning(r.status.signal));
    case Termination::kDeadline:
      return Deadline(r, c);
    case Termination::kOutputLimit:
      return OutputLimit(r, c);
    case Termination::kProcessLimit:
      return ProcessLimit(r, c);
    case Termination::kMemoryLimit:
      return MemoryLimit(r, c);
  }
  return std::nullopt;
}

}  // namespace ipclab
