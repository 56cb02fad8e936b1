#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-clients`: clients talk to the server (concurrently or one after
/// another; whole payloads, byte at a time, several messages; with idle or
/// non-reading connections held open meanwhile) and every transcript must
/// equal what the same clients got from the reference.
class EchoClientsKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-clients"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
