// The registry of every probe kind ipclab ships. Adding a kind: write its
// class in one file, add one line here.
#include "core/probe.h"
#include "echo/echo_abuse_kind.h"
#include "echo/echo_clients_kind.h"
#include "echo/echo_leaks_kind.h"
#include "echo/echo_lifecycle_kind.h"
#include "echo/echo_mode_kind.h"
#include "echo/echo_reaping_kind.h"
#include "echo/echo_throughput_kind.h"
#include "pipeline/psh_script_kind.h"
#include "threadpool/pool_scenario_kind.h"

namespace ipclab {

const ProbeRegistry& BuiltinKinds() {
  static const ProbeRegistry* registry = [] {
    auto* r = new ProbeRegistry;
    r->Add(std::make_unique<PshScriptKind>());
    r->Add(std::make_unique<EchoClientsKind>());
    r->Add(std::make_unique<EchoModeKind>());
    r->Add(std::make_unique<EchoLeaksKind>());
    r->Add(std::make_unique<EchoReapingKind>());
    r->Add(std::make_unique<EchoAbuseKind>());
    r->Add(std::make_unique<EchoLifecycleKind>());
    r->Add(std::make_unique<EchoThroughputKind>());
    r->Add(std::make_unique<PoolScenarioKind>());
    return r;
  }();
  return *registry;
}

}  // namespace ipclab
