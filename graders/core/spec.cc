#include "spec.h"

#include <utility>

namespace ipclab {

std::string SourceLocation::ToString() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {
constexpr std::pair<Visibility, std::string_view> kVisibilityNames[] = {
    {Visibility::kVisible, "visible"},
    {Visibility::kHidden, "hidden"},
    {Visibility::kAfterDueDate, "after_due_date"},
    {Visibility::kAfterPublished, "after_published"},
};
}  // namespace

std::string_view VisibilityName(Visibility visibility) {
  for (const auto& [v, name] : kVisibilityNames) {
    if (v == visibility) return name;
  }
  return "visible";
}

std::optional<Visibility> ParseVisibility(std::string_view name) {
  for (const auto& [v, n] : kVisibilityNames) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view ParamTypeName(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "a string";
    case ParamType::kInt:
      return "an integer";
    case ParamType::kBool:
      return "true or false";
    case ParamType::kNumber:
      return "a number";
    case ParamType::kStringList:
      return "a list of strings";
  }
  return "?";
}

void Params::Set(std::string name, ParamValue value) {
  values_[std::move(name)] = std::move(value);
}

bool Params::Has(const std::string& name) const {
  return values_.count(name) != 0;
}

// The loader has checked every type against the kind's ParamSpecs, so a
// mismatch here is a bug in a probe kind: fall back rather than crash.
template <typename T>
static const T* Get(const std::map<std::string, ParamValue>& values,
                    const std::string& name) {
  auto it = values.find(name);
  if (it == values.end()) return nullptr;
  return std::get_if<T>(&it->second);
}

std::string Params::String(const std::string& name,
                           std::string fallback) const {
  const auto* v = Get<std::string>(values_, name);
  return v ? *v : fallback;
}

std::int64_t Params::Int(const std::string& name, std::int64_t fallback) const {
  const auto* v = Get<std::int64_t>(values_, name);
  return v ? *v : fallback;
}

bool Params::Bool(const std::string& name, bool fallback) const {
  const auto* v = Get<bool>(values_, name);
  return v ? *v : fallback;
}

double Params::Number(const std::string& name, double fallback) const {
  if (const auto* v = Get<double>(values_, name)) return *v;
  if (const auto* i = Get<std::int64_t>(values_, name)) return double(*i);
  return fallback;
}

std::vector<std::string> Params::StringList(const std::string& name) const {
  const auto* v = Get<std::vector<std::string>>(values_, name);
  return v ? *v : std::vector<std::string>{};
}

const TestSpec* LabSpec::Find(const std::string& id) const {
  for (const auto& t : tests) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

double LabSpec::MaxPoints() const {
  double sum = 0;
  for (const auto& t : tests) sum += t.points;
  return sum;
}

}  // namespace ipclab
