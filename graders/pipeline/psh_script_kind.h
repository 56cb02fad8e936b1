#pragma once

#include "core/probe.h"

namespace ipclab {

/// `psh-script`: runs a script through the student's shell and the
/// reference, in the same run on the same input, and compares what a POSIX
/// shell would make observable: stdout, exit status, files written. It also
/// judges the reports of `ipclab-fds` stages, leftover processes, and, for a
/// hang, names the pipe end that was left open.
class PshScriptKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "psh-script"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
