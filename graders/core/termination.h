// The one place that decides what a run's ending means for a test: every
// probe kind passes its LaunchResult here and gets the standard outcome and
// explanation, quoting the limits and the deadline that were really
// applied. Kinds then add only what is theirs (a hang diagnosis, a client
// transcript, a hint about SIGPIPE in a server).
#pragma once

#include <optional>
#include <string>

#include "core/launcher.h"
#include "core/test_result.h"

namespace ipclab {

/// Who ran, as the explanation names it, and what it may compare with.
struct EndingContext {
  std::string who;  // "Your shell", "Your server", "The reference pool".
  /// How long the reference took on the same test, if known: quoted next
  /// to a deadline so the student sees the distance.
  std::optional<double> reference_seconds;
};

/// The standard verdict for a run that did not end by itself in the
/// ordinary way:
///   kNotStarted  -> error   (the grader could not run it)
///   kDeadline    -> timeout
///   kOutputLimit -> output limit
///   kProcessLimit, kMemoryLimit -> fail
///   kSignalled   -> crash
/// Each has a one-line summary and a section "How it ended" that states the
/// rule and where it comes from (the grader's limit, or the kernel). For
/// kExited and kStopped it returns nullopt: the kind judges the behaviour.
std::optional<Verdict> JudgeTermination(const LaunchResult& r,
                                        const EndingContext& context);

/// "1 MiB", "64 KiB", "1000 bytes".
std::string FormatBytes(std::size_t bytes);

/// What a signal's default action means for a program, in a sentence.
std::string SignalMeaning(int signal);

}  // namespace ipclab
