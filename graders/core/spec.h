// The in-memory form of a lab spec (labs/<lab>/lab.yaml). Plain data: the
// loader fills it, the runner and probe kinds read it. No YAML types leak
// past spec_loader.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ipclab {

/// Where something came from, for error messages: "lab.yaml:12:5".
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown.
  int column = 0;  // 1-based.
  std::string ToString() const;
};

/// Who may see a test's result, in Gradescope's four words. Only `visible`
/// tests reach a student-facing report (the console, JUnit and results.json
/// of `ipclab grade` without --instructor); the others are counted there,
/// never described. Gradescope, given results.json by an --instructor run,
/// applies the rest itself: `hidden` never, `after_due_date` once the due
/// date has passed, `after_published` once grades are published.
enum class Visibility { kVisible, kHidden, kAfterDueDate, kAfterPublished };
/// "visible", "hidden", "after_due_date", "after_published".
std::string_view VisibilityName(Visibility visibility);
/// The visibility named `name`, or nullopt.
std::optional<Visibility> ParseVisibility(std::string_view name);

/// The types a probe kind's parameter can have.
enum class ParamType { kString, kInt, kBool, kNumber, kStringList };
std::string_view ParamTypeName(ParamType type);

using ParamValue = std::variant<std::string, std::int64_t, bool, double,
                                std::vector<std::string>>;

/// One parameter a probe kind accepts: the loader checks specs against it.
struct ParamSpec {
  std::string name;
  ParamType type;
  bool required = false;
  std::string help;  // One line for `ipclab list --kinds` and errors.
};

/// A test's kind-specific parameters, already type-checked by the loader.
class Params {
 public:
  void Set(std::string name, ParamValue value);
  bool Has(const std::string& name) const;
  std::string String(const std::string& name, std::string fallback = {}) const;
  std::int64_t Int(const std::string& name, std::int64_t fallback = 0) const;
  bool Bool(const std::string& name, bool fallback = false) const;
  double Number(const std::string& name, double fallback = 0) const;
  std::vector<std::string> StringList(const std::string& name) const;

 private:
  std::map<std::string, ParamValue> values_;
};

/// One test: one YAML block.
/// The name under which `ipclab init` puts a lab's handout in the student's
/// directory; reports name it as the file a test concerns when they know of
/// no submission file.
inline constexpr const char kHandoutFile[] = "HANDOUT.md";

/// The lecture topics a test may name with `topic:` in lab.yaml.
inline constexpr const char* kTopics[] = {"blocking", "EOF", "SIGPIPE",
                                          "concurrency", "reaping"};

struct TestSpec {
  std::string id;
  std::string title;
  std::string kind;
  double points = 1;  // Also when `defaults` gives none.
  std::chrono::milliseconds timeout{10000};
  std::string hint;
  Visibility visibility = Visibility::kVisible;
  /// The lecture topic the test checks (one of kTopics), or empty; CI
  /// reports tag the test with it.
  std::string topic;
  Params params;
  SourceLocation location;
  /// Added by an instructor's overlay (--tests-from), not the lab.yaml.
  bool from_overlay = false;
};

/// How the grader compiles a submission directory. It never runs the
/// student's own build files: fixed flags make every grade comparable.
struct BuildSpec {
  std::string compiler = "g++";
  std::vector<std::string> sources{"*.cpp"};  // Globs, in the submission dir.
  std::vector<std::string> flags;
  std::string output;  // Name of the produced executable.
  std::chrono::milliseconds timeout{120000};
  /// Grader-owned sources compiled with the submission (a driver with
  /// main), relative to the source tree. The submission directory is then
  /// on the include path.
  std::vector<std::string> extra_sources;
  /// Grader-built static libraries linked with the submission, relative to
  /// build/bin (e.g. lib/libipclab-pool-driver.a): a driver compiled once
  /// instead of with every submission. Variant NAME links the library of
  /// the same name with "-NAME" before ".a", built with that variant's flags.
  std::vector<std::string> libraries;
  /// Further builds of the same sources with extra flags (sanitizers):
  /// name -> flags. Variant NAME is the executable "OUTPUT-NAME".
  std::vector<std::pair<std::string, std::vector<std::string>>> variants;
};

struct LabSpec {
  std::string name;   // "pipeline"
  std::string title;  // "A shell that runs pipelines"
  BuildSpec build;
  std::string reference;  // Reference executable, relative to build/bin.
  std::vector<TestSpec> tests;
  std::string file;  // The lab.yaml it was loaded from.

  const TestSpec* Find(const std::string& id) const;
  double MaxPoints() const;
};

}  // namespace ipclab
