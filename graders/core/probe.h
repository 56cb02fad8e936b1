// A probe kind knows how to run one family of tests (compare a pipeline with
// the reference, drive echo clients, ...). Tests are YAML blocks naming a
// kind; adding a kind is one file with a class like this plus one line in
// graders/kinds.cc.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/spec.h"
#include "core/test_result.h"

namespace ipclab {

/// Everything a probe may use to judge one test.
struct ProbeContext {
  const LabSpec& lab;
  const TestSpec& test;
  std::filesystem::path student;    // The executable under test.
  std::filesystem::path reference;  // The reference executable.
  std::filesystem::path helpers;    // Directory of grader helper programs.
  std::filesystem::path work_dir;   // Fresh and empty; removed afterwards.
  /// Other builds of the same programs (BuildSpec::variants, e.g. "tsan").
  std::map<std::string, std::filesystem::path> student_variants;
  std::map<std::string, std::filesystem::path> reference_variants;
  /// How a student runs the program under test by hand, from the directory
  /// they ran the grader in: `program` (a shell word, e.g.
  /// `ipclab-try/psh`), after running `build` (empty: nothing to build).
  /// Both empty when unknown.
  std::string by_hand_build;
  std::string by_hand_program;
};

class ProbeKind {
 public:
  virtual ~ProbeKind() = default;
  virtual std::string_view Name() const = 0;
  /// One line for `ipclab list --kinds`.
  virtual std::string_view Description() const = 0;
  /// The parameters a test of this kind may (or must) set.
  virtual std::vector<ParamSpec> Params() const = 0;
  /// Checks that go beyond types (a count in range, one of two keys). The
  /// message is prefixed with the test's location by the loader.
  virtual Status Validate(const TestSpec& /*test*/) const { return {}; }
  /// Runs the test. Must not throw; the runner still catches anything that
  /// escapes and reports it as the grader's error.
  virtual Verdict Run(const ProbeContext& ctx) const = 0;
};

class ProbeRegistry {
 public:
  void Add(std::unique_ptr<ProbeKind> kind);
  const ProbeKind* Find(std::string_view name) const;
  std::vector<const ProbeKind*> All() const;

 private:
  std::map<std::string, std::unique_ptr<ProbeKind>, std::less<>> kinds_;
};

/// Every kind ipclab ships, registered in graders/kinds.cc.
const ProbeRegistry& BuiltinKinds();

}  // namespace ipclab
