// Loads and validates labs/<lab>/lab.yaml. Every problem is reported as
// "file:line:col: message" so an instructor can jump straight to it.
#pragma once

#include <filesystem>

#include "core/error.h"
#include "core/probe.h"
#include "core/spec.h"

namespace ipclab {

/// Parses a lab spec from a file. Rejects syntax errors, unknown and
/// duplicate keys, duplicate test ids, unknown kinds, missing fields and
/// wrong types, each with its position.
Result<LabSpec> LoadLabSpec(const std::filesystem::path& file,
                            const ProbeRegistry& kinds);

/// The same, from text (the file name is used only in messages).
Result<LabSpec> ParseLabSpec(const std::string& text, const std::string& file,
                             const ProbeRegistry& kinds);

/// Merges an instructor's test overlay into `lab` (see docs/instructors.md):
/// YAML in the lab's own format (`lab`, `defaults`, `tests`) for the same
/// lab. A test with a new id is added, `hidden` unless the overlay's
/// defaults or the test say otherwise; a test the lab has already may get
/// new `points` and `visibility`, and nothing else. Every problem names its
/// file:line:col; on error `lab` is left as it was.
Status ApplyOverlay(const std::filesystem::path& file,
                    const ProbeRegistry& kinds, LabSpec& lab);

/// The same, from text.
Status ParseOverlay(const std::string& text, const std::string& file,
                    const ProbeRegistry& kinds, LabSpec& lab);

}  // namespace ipclab
