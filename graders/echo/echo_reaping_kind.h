#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-reaping`: fork mode reaps every child even when many exit at
/// once. The server is frozen (SIGSTOP) while K children exit, so their
/// SIGCHLDs coalesce into one, then thawed: every zombie must go.
class EchoReapingKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-reaping"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
