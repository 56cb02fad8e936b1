#pragma once

#include "core/probe.h"

namespace ipclab {

/// `pool-scenario`: runs one scenario of the grader's thread-pool driver,
/// compiled together with the submission (a normal build, or one under
/// ThreadSanitizer or AddressSanitizer+UBSan), optionally with a preloaded
/// shim that counts thread creations and injects spurious condition-variable
/// wakeups. The same scenario runs on the reference first.
class PoolScenarioKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "pool-scenario"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
