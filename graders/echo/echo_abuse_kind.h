#pragma once

#include "core/probe.h"

namespace ipclab {

/// `echo-abuse`: clients that reset their connection mid-echo or vanish
/// with unread data; afterwards the server must still be alive and serve a
/// new client. One bad client must never take the server down.
class EchoAbuseKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "echo-abuse"; }
  std::string_view Description() const override;
  std::vector<ParamSpec> Params() const override;
  Status Validate(const TestSpec& test) const override;
  Verdict Run(const ProbeContext& ctx) const override;
};

}  // namespace ipclab
