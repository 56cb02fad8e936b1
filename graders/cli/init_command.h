// `ipclab init LAB DIR`: a student's starting folder, with nothing copied by
// hand: the skeleton, the handout (as HANDOUT.md) and a Makefile whose
// `make` builds as the grader does and whose `make grade` self-grades.
#pragma once

#include <string>

#include "core/spec.h"

namespace ipclab {

struct InitOptions {
  std::string lab;
  std::string dir;
};

/// 0 when DIR was made; 2 (with a message on stderr) for an unknown lab, a
/// DIR that exists and is not empty, or a copy that failed.
int InitCommand(const InitOptions& options);

/// The Makefile for a lab: `make` runs the lab's exact build line (the one
/// `ipclab list LAB` prints), or for a lab linked with grader code, compiles
/// the student's files with the lab's flags; `make grade` runs `ipclab`
/// (the absolute path given) on the folder.
std::string InitMakefile(const LabSpec& lab, const std::string& ipclab);

}  // namespace ipclab
