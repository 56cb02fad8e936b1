#include "core/probe.h"

namespace ipclab {

void ProbeRegistry::Add(std::unique_ptr<ProbeKind> kind) {
  std::string name(kind->Name());
  kinds_[name] = std::move(kind);
}

const ProbeKind* ProbeRegistry::Find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : it->second.get();
}

std::vector<const ProbeKind*> ProbeRegistry::All() const {
  std::vector<const ProbeKind*> all;
  for (const auto& [name, kind] : kinds_) all.push_back(kind.get());
  return all;
}

}  // namespace ipclab
