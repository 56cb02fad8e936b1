#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-leaks`: hundreds of connections, one after another; afterwards the
/// server's descriptors, threads and children are back where they started,
/// no zombie is left, and its memory has grown no more than leniently
/// beyond what the reference's grew in the same run.
class EchoLeaksKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-leaks"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
