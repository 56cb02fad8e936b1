#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-throughput`: many clients push megabytes through the server at
/// once; the student's server may be slower than the reference measured in
/// the same run, but not pathologically (a lenient ratio, never an absolute
/// time).
class EchoThroughputKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-throughput"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
