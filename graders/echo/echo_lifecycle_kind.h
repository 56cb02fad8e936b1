#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-lifecycle`: how the server starts and ends: SIGTERM/SIGINT end it
/// with status 0; a restart on the same port succeeds at once
/// (SO_REUSEADDR); bad arguments give a usage message and status 2; a port
/// that cannot be bound gives a message and status 1.
class EchoLifecycleKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-lifecycle"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
