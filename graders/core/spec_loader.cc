// Implementation notes. This is the only file that touches yaml-cpp, and so
// the only place its exceptions are caught and turned into Errors. yaml-cpp
// 0.7.0 accepts duplicate keys silently and reports a missing key as a
// position-less "bad conversion", so both are checked here by hand before
// any conversion: a spec with two `timeout:` keys or a misspelt required
// key must fail with its file:line, not load half of what was written.
#include "core/spec_loader.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace ipclab {
namespace {

// Thrown only inside this file, caught at the two public entry points.
struct SpecError {
  std::string message;
};

class Loader {
 public:
  Loader(std::string file, const ProbeRegistry& kinds)
      : file_(std::move(file)), kinds_(kinds) {}

  LabSpec Load(const YAML::Node& root) {
    RejectDuplicateKeys(root);
    Expect(root, YAML::NodeType::Map, "the lab spec must be a mapping");
    CheckKeys(root, {"lab", "title", "reference", "build", "defaults", "tests"},
              "lab spec");
    LabSpec lab;
    lab.file = file_;
    lab.name = Required<std::string>(root, "lab");
    if (!std::regex_match(lab.name, std::regex("[a-z][a-z0-9-]*"))) {
      Fail(root["lab"], "lab name '" + lab.name +
                            "' must be lower case letters, digits and '-'");
    }
    lab.title = Optional<std::string>(root, "title", lab.name);
    lab.reference = Required<std::string>(root, "reference");
    if (root["build"]) lab.build = LoadBuild(root["build"]);

    const TestSpec defaults = LoadDefaults(root, TestSpec{});
    std::set<std::string> ids;
    for (const YAML::Node& t : TestList(root)) {
      TestSpec test = LoadTest(t, defaults);
      if (!ids.insert(test.id).second) {
        Fail(t["id"], "duplicate test id '" + test.id + "'");
      }
      lab.tests.push_back(std::move(test));
    }
    return lab;
  }

  // An instructor's overlay: the lab's own format, for the same lab. A test
  // with a new id is added (hidden unless the overlay says otherwise: that
  // is what overlays are for); a test the lab has already may only get new
  // points or a new visibility, so the overlay cannot quietly change what
  // a test the students know checks.
  void Overlay(const YAML::Node& root, LabSpec& lab) {
    RejectDuplicateKeys(root);
    Expect(root, YAML::NodeType::Map, "the overlay must be a mapping");
    CheckKeys(root, {"lab", "defaults", "tests"}, "overlay");
    const std::string name = Required<std::string>(root, "lab");
    if (name != lab.name) {
      Fail(root["lab"], "this overlay is for lab '" + name +
                            "', but it is being applied to lab '" + lab.name +
                            "'");
    }
    TestSpec base;
    base.visibility = Visibility::kHidden;
    const TestSpec defaults = LoadDefaults(root, base);
    std::set<std::string> seen;
    for (const YAML::Node& t : TestList(root)) {
      Expect(t, YAML::NodeType::Map, "each test must be a mapping");
      const std::string id = Required<std::string>(t, "id");
      if (!seen.insert(id).second) {
        Fail(t["id"], "duplicate test id '" + id + "' in the overlay");
      }
      if (TestSpec* known = FindTest(lab, id)) {
        Override(t, *known);
      } else {
        lab.tests.push_back(LoadTest(t, defaults));
        lab.tests.back().from_overlay = true;
      }
    }
  }

 private:
  static TestSpec* FindTest(LabSpec& lab, const std::string& id) {
    for (TestSpec& t : lab.tests) {
      if (t.id == id) return &t;
    }
    return nullptr;
  }

  void Override(const YAML::Node& t, TestSpec& test) {
    for (auto it = t.begin(); it != t.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key == "id" || key == "points" || key == "visibility") continue;
      Fail(it->first,
           "test '" + test.id + "' is already in " + test.location.ToString() +
               ": an overlay may change only its 'points' and 'visibility' "
               "(to add a test, give it an id of its own)");
    }
    test.points = Optional<double>(t, "points", test.points);
    if (test.points < 0) Fail(t["points"], "'points' must not be negative");
    test.visibility = LoadVisibility(t, test.visibility);
  }

  TestSpec LoadDefaults(const YAML::Node& root, TestSpec defaults) {
    YAML::Node d = root["defaults"];
    if (!d) return defaults;
    Expect(d, YAML::NodeType::Map, "'defaults' must be a mapping");
    CheckKeys(d, {"points", "timeout", "visibility"}, "defaults");
    defaults.points = Optional<double>(d, "points", 1.0);
    defaults.timeout = Seconds(d, "timeout", defaults.timeout);
    defaults.visibility = LoadVisibility(d, defaults.visibility);
    return defaults;
  }

  YAML::Node TestList(const YAML::Node& root) {
    YAML::Node tests = root["tests"];
    if (!tests) Fail(root, "missing required key 'tests'");
    Expect(tests, YAML::NodeType::Sequence, "'tests' must be a list");
    if (tests.size() == 0) Fail(tests, "'tests' is empty");
    return tests;
  }

  [[noreturn]] void Fail(const YAML::Node& at, const std::string& message) {
    Fail(at.Mark(), message);
  }
  [[noreturn]] void Fail(const YAML::Mark& mark, const std::string& message) {
    SourceLocation loc{file_, 0, 0};
    if (!mark.is_null()) loc = {file_, mark.line + 1, mark.column + 1};
    throw SpecError{loc.ToString() + ": " + message};
  }

  void Expect(const YAML::Node& node, YAML::NodeType::value type,
              const std::string& message) {
    if (node.Type() != type) Fail(node, message);
  }

  void RejectDuplicateKeys(const YAML::Node& node) {
    if (node.IsMap()) {
      std::set<std::string> seen;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && !seen.insert(it->first.Scalar()).second) {
          Fail(it->first, "duplicate key '" + it->first.Scalar() + "'");
        }
        RejectDuplicateKeys(it->second);
      }
    } else if (node.IsSequence()) {
      for (const auto& child : node) RejectDuplicateKeys(child);
    }
  }

  void CheckKeys(const YAML::Node& map, const std::set<std::string>& allowed,
                 const std::string& where) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (allowed.count(key)) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(it->first, "unknown key '" + key + "' in " + where +
                          " (allowed: " + list + ")");
    }
  }

  template <typename T>
  T Convert(const YAML::Node& node, const std::string& key,
            std::string_view type_name) {
    if (!node.IsScalar()) {
      Fail(node, "'" + key + "' must be " + std::string(type_name));
    }
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      Fail(node, "'" + key + "' must be " + std::string(type_name) + ", not '" +
                     node.Scalar() + "'");
    }
  }

  template <typename T>
  T Required(const YAML::Node& map, const std::string& key) {
    YAML::Node n = map[key];
    if (!n) Fail(map, "missing required key '" + key + "'");
    return Convert<T>(n, key, TypeName<T>());
  }

  template <typename T>
  T Optional(const YAML::Node& map, const std::string& key, T fallback) {
    YAML::Node n = map[key];
    if (!n) return fallback;
    return Convert<T>(n, key, TypeName<T>());
  }

  template <typename T>
  static std::string_view TypeName() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    if constexpr (std::is_same_v<T, double>) return "a number";
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    return "an integer";
  }

  std::vector<std::string> StringList(const YAML::Node& node,
                                      const std::string& key) {
    if (!node.IsSequence())
      Fail(node, "'" + key + "' must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : node) {
      out.push_back(Convert<std::string>(item, key + " item", "a string"));
    }
    return out;
  }

  std::chrono::milliseconds Seconds(const YAML::Node& map,
                                    const std::string& key,
                                    std::chrono::milliseconds fallback) {
    if (!map[key]) return fallback;
    double s = Convert<double>(map[key], key, "a number of seconds");
    if (!(s > 0 && s <= 3600)) {
      Fail(map[key], "'" + key + "' must be between 0 and 3600 seconds");
    }
    return std::chrono::milliseconds(static_cast<long long>(s * 1000));
  }

  Visibility LoadVisibility(const YAML::Node& map, Visibility fallback) {
    if (!map["visibility"]) return fallback;
    constexpr const char* kNames =
        "'visible', 'hidden', 'after_due_date' or 'after_published'";
    std::string v =
        Convert<std::string>(map["visibility"], "visibility", kNames);
    if (auto visibility = ParseVisibility(v)) return *visibility;
    Fail(map["visibility"],
         "'visibility' must be " + std::string(kNames) + ", not '" + v + "'");
  }

  std::string LoadTopic(const YAML::Node& map) {
    if (!map["topic"]) return "";
    std::string v = Convert<std::string>(map["topic"], "topic", "a topic");
    std::string known;
    for (const char* topic : kTopics) {
      if (v == topic) return v;
      known += (known.empty() ? "" : ", ") + std::string(topic);
    }
    Fail(map["topic"], "'topic' must be one of " + known + ", not '" + v + "'");
  }

  BuildSpec LoadBuild(const YAML::Node& b) {
    Expect(b, YAML::NodeType::Map, "'build' must be a mapping");
    CheckKeys(b,
              {"compiler", "sources", "flags", "output", "timeout",
               "extra_sources", "libraries", "variants"},
              "build");
    BuildSpec build;
    build.compiler = Optional<std::string>(b, "compiler", build.compiler);
    if (b["sources"]) build.sources = StringList(b["sources"], "sources");
    if (b["flags"]) build.flags = StringList(b["flags"], "flags");
    build.output = Required<std::string>(b, "output");
    build.timeout = Seconds(b, "timeout", build.timeout);
    if (b["extra_sources"]) {
      build.extra_sources = StringList(b["extra_sources"], "extra_sources");
    }
    if (b["libraries"]) {
      build.libraries = StringList(b["libraries"], "libraries");
    }
    if (YAML::Node v = b["variants"]) {
      Expect(v, YAML::NodeType::Map,
             "'variants' must map a name to a list of flags");
      for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string name = it->first.Scalar();
        if (!std::regex_match(name, std::regex("[a-z][a-z0-9]*"))) {
          Fail(it->first, "variant name '" + name +
                              "' must be lower case letters and digits");
        }
        build.variants.emplace_back(name, StringList(it->second, name));
      }
    }
    return build;
  }

  TestSpec LoadTest(const YAML::Node& t, const TestSpec& defaults) {
    Expect(t, YAML::NodeType::Map, "each test must be a mapping");
    TestSpec test = defaults;
    test.location = {file_, t.Mark().line + 1, t.Mark().column + 1};
    test.id = Required<std::string>(t, "id");
    if (!std::regex_match(test.id, std::regex("[a-z0-9][a-z0-9-]*"))) {
      Fail(t["id"], "test id '" + test.id +
                        "' must be lower case letters, digits and '-'");
    }
    test.kind = Required<std::string>(t, "kind");
    const ProbeKind* kind = kinds_.Find(test.kind);
    if (kind == nullptr) {
      std::string known;
      for (const auto* k : kinds_.All()) {
        known += (known.empty() ? "" : ", ") + std::string(k->Name());
      }
      Fail(t["kind"],
           "unknown probe kind '" + test.kind + "' (known: " + known + ")");
    }
    test.title = Required<std::string>(t, "title");
    test.points = Optional<double>(t, "points", defaults.points);
    if (test.points < 0) Fail(t["points"], "'points' must not be negative");
    test.timeout = Seconds(t, "timeout", defaults.timeout);
    test.hint = Optional<std::string>(t, "hint", "");
    test.visibility = LoadVisibility(t, defaults.visibility);
    test.topic = LoadTopic(t);

    std::set<std::string> allowed = {"id",      "title", "kind",       "points",
                                     "timeout", "hint",  "visibility", "topic"};
    const auto params = kind->Params();
    for (const auto& p : params) allowed.insert(p.name);
    CheckKeys(t, allowed, "test '" + test.id + "' (kind " + test.kind + ")");
    for (const auto& p : params) {
      YAML::Node n = t[p.name];
      if (!n) {
        if (p.required) {
          Fail(t, "test '" + test.id + "' is missing required key '" + p.name +
                      "' (" + p.help + ")");
        }
        continue;
      }
      test.params.Set(p.name, LoadParam(n, p));
    }
    if (Status s = kind->Validate(test); !s.ok()) {
      Fail(t, "test '" + test.id + "': " + s.error().message);
    }
    return test;
  }

  ParamValue LoadParam(const YAML::Node& n, const ParamSpec& p) {
    const auto type_name = ParamTypeName(p.type);
    switch (p.type) {
      case ParamType::kString:
        return Convert<std::string>(n, p.name, type_name);
      case ParamType::kInt:
        return Convert<std::int64_t>(n, p.name, type_name);
      case ParamType::kBool:
        return Convert<bool>(n, p.name, type_name);
      case ParamType::kNumber:
        return Convert<double>(n, p.name, type_name);
      case ParamType::kStringList:
        return StringList(n, p.name);
    }
    Fail(n, "unsupported parameter type");
  }

  const std::string file_;
  const ProbeRegistry& kinds_;
};

// Runs `load` on `text`, turning both kinds of exception into an Error:
// ours (already positioned) and yaml-cpp's syntax errors, whose mark is
// 0-based and whose msg has no position.
template <typename Load>
Status Guarded(const std::string& text, const std::string& file, Load&& load) {
  try {
    load(YAML::Load(text));
  } catch (const SpecError& e) {
    return Error{e.message};
  } catch (const YAML::Exception& e) {
    SourceLocation loc{file, 0, 0};
    if (!e.mark.is_null()) loc = {file, e.mark.line + 1, e.mark.column + 1};
    return Error{loc.ToString() + ": " + e.msg};
  }
  return {};
}

}  // namespace

Result<LabSpec> ParseLabSpec(const std::string& text, const std::string& file,
                             const ProbeRegistry& kinds) {
  LabSpec lab;
  Status s = Guarded(text, file, [&](const YAML::Node& root) {
    lab = Loader(file, kinds).Load(root);
  });
  if (!s.ok()) return s.error();
  return lab;
}

Status ParseOverlay(const std::string& text, const std::string& file,
                    const ProbeRegistry& kinds, LabSpec& lab) {
  LabSpec merged = lab;  // Untouched unless the whole overlay is valid.
  Status s = Guarded(text, file, [&](const YAML::Node& root) {
    Loader(file, kinds).Overlay(root, merged);
  });
  if (!s.ok()) return s;
  lab = std::move(merged);
  return {};
}

namespace {
Result<std::string> ReadSpecText(const std::filesystem::path& file,
                                 const char* what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{file.string() + ": cannot read the " + what};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

Result<LabSpec> LoadLabSpec(const std::filesystem::path& file,
                            const ProbeRegistry& kinds) {
  auto text = ReadSpecText(file, "lab spec");
  if (!text) return text.error();
  return ParseLabSpec(*text, file.string(), kinds);
}

Status ApplyOverlay(const std::filesystem::path& file,
                    const ProbeRegistry& kinds, LabSpec& lab) {
  auto text = ReadSpecText(file, "test overlay");
  if (!text) return text.error();
  return ParseOverlay(*text, file.string(), kinds, lab);
}

}  // namespace ipclab
