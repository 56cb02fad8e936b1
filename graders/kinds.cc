// The registry of every probe kind ipclab ships. Adding a kind: write its
// class in one file, add one line here.
#include "core/probe.h"
#include "echo/echo_clients_kind.h"
#include "pipeline/psh_script_kind.h"

namespace ipclab {

const ProbeRegistry& BuiltinKinds() {
  static const ProbeRegistry* registry = [] {
    auto* r = new ProbeRegistry;
    r->Add(std::make_unique<PshScriptKind>());
    r->Add(std::make_unique<EchoClientsKind>());
    return r;
  }();
  return *registry;
}

}  // namespace ipclab
