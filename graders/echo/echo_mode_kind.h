#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-mode`: the server's concurrency model is what its --mode claims,
/// judged from /proc while connections are held open: a new process per
/// connection (fork), a new thread per connection (thread), or exactly N
/// workers and at most Q queued connections (pool).
class EchoModeKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-mode"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
