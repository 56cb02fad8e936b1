#include "cli/commands.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "core/builder.h"
#include "core/launcher.h"
#include "core/paths.h"
#include "core/runner.h"
#include "core/spec_loader.h"
#include "report/console_reporter.h"
#include "report/gradescope_reporter.h"
#include "report/junit_reporter.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

fs::path LabsDir() { return SourceDir() / "labs"; }

// A lab is named ("pipeline") or given as a path to its lab.yaml.
fs::path SpecPath(const std::string& lab) {
  if (lab.find('/') != std::string::npos ||
      fs::path(lab).extension() == ".yaml") {
    return lab;
  }
  return LabsDir() / lab / "lab.yaml";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The variant builds that sit beside a ready executable: "psh-tsan" for
// variant "tsan" of "psh".
std::map<std::string, fs::path> SiblingVariants(const fs::path& exe,
                                                const LabSpec& lab) {
  std::map<std::string, fs::path> variants;
  for (const auto& [name, flags] : lab.build.variants) {
    variants[name] = exe.string() + "-" + name;
  }
  return variants;
}

// A directory is built like a submission; a file is used as it is.
Result<fs::path> PrepareExecutable(const std::string& what,
                                   const fs::path& path, const LabSpec& lab,
                                   const fs::path& build_dir, int jobs,
                                   std::optional<BuildOutcome>* build,
                                   std::map<std::string, fs::path>* variants) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    auto outcome = BuildSubmission(lab.build, path, build_dir, jobs);
    if (!outcome) return outcome.error();
    if (build) *build = *outcome;
    if (!outcome->ok && !build) {
      return Error{"the " + what + " in " + path.string() +
                   " does not build: " + outcome->problem + "\n" +
                   outcome->output};
    }
    *variants = outcome->variants;
    return outcome->executable;
  }
  *variants = SiblingVariants(path, lab);
  if (!fs::exists(path, ec)) {
    return Error{"the " + what + " " + path.string() + " does not exist"};
  }
  if (::access(path.c_str(), X_OK) != 0) {
    return Error{"the " + what + " " + path.string() + " is not executable"};
  }
  return fs::absolute(path);
}

}  // namespace

int ListCommand(const ListOptions& options) {
  std::vector<fs::path> specs;
  if (!options.lab.empty()) {
    specs.push_back(SpecPath(options.lab));
  } else {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(LabsDir(), ec)) {
      if (fs::exists(entry.path() / "lab.yaml")) {
        specs.push_back(entry.path() / "lab.yaml");
      }
    }
    std::sort(specs.begin(), specs.end());
    if (specs.empty()) {
      std::cerr << "ipclab: no labs found in " << LabsDir().string() << "\n";
      return 2;
    }
  }
  for (const auto& file : specs) {
    auto lab = LoadLabSpec(file, BuiltinKinds());
    if (!lab) {
      std::cerr << lab.error().message << "\n";
      return 2;
    }
    std::cout << lab->name << ": " << lab->title << " ("
              << lab->tests.size() << " tests, " << Number(lab->MaxPoints())
              << " points)\n";
    if (options.lab.empty()) continue;
    for (const auto& t : lab->tests) {
      std::printf("  %-32s %5s pts  %s%s\n", t.id.c_str(),
                  Number(t.points).c_str(), t.title.c_str(),
                  t.visibility == Visibility::kHidden ? " (hidden)" : "");
    }
  }
  return 0;
}

int GradeCommand(const GradeOptions& o) {
  auto lab = LoadLabSpec(SpecPath(o.lab), BuiltinKinds());
  if (!lab) {
    std::cerr << lab.error().message << "\n";
    return 2;
  }

  std::string tmpl = (fs::temp_directory_path() / "ipclab-build-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "ipclab: cannot create a build directory in /tmp\n";
    return 2;
  }
  const fs::path build_dir = tmpl;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{build_dir};

  Subject subject;
  subject.helpers = BinDir();
  std::string rerun = o.program + " grade " + o.lab;
  std::string graded;
  if (!o.submission.empty()) {
    auto exe = PrepareExecutable("submission", o.submission, *lab,
                                 build_dir / "submission", o.jobs,
                                 &subject.build, &subject.variants);
    if (!exe) {
      std::cerr << "ipclab: " << exe.error().message << "\n";
      return 2;
    }
    subject.executable = *exe;
    rerun += " --submission " + ShellQuote({o.submission});
    graded = o.submission;
  } else {
    auto exe = PrepareExecutable("binary", o.binary, *lab, build_dir,
                                 o.jobs, nullptr, &subject.variants);
    if (!exe) {
      std::cerr << "ipclab: " << exe.error().message << "\n";
      return 2;
    }
    subject.executable = *exe;
    rerun += " --binary " + ShellQuote({o.binary});
    graded = o.binary;
  }
  const fs::path reference =
      o.reference.empty() ? BinDir() / lab->reference : fs::path(o.reference);
  auto ref = PrepareExecutable("reference", reference, *lab,
                               build_dir / "reference", o.jobs, nullptr,
                               &subject.reference_variants);
  if (!ref) {
    std::cerr << "ipclab: " << ref.error().message << "\n";
    return 2;
  }
  subject.reference = *ref;
  if (!o.reference.empty()) rerun += " --reference " + ShellQuote({o.reference});

  ReporterList reporters;
  reporters.Add(std::make_unique<ConsoleReporter>(
      stdout, ConsoleOptions{ShouldUseColor(stdout), o.verbose}));
  if (!o.junit.empty()) {
    reporters.Add(std::make_unique<JUnitReporter>(o.junit));
  }
  if (!o.gradescope.empty()) {
    reporters.Add(std::make_unique<GradescopeReporter>(o.gradescope));
  }

  RunOptions run;
  run.only = o.only;
  run.jobs = o.jobs;
  run.rerun_prefix = rerun;
  run.subject = graded;
  run.keep_work_dirs = o.keep;
  RunSummary summary = RunLab(*lab, subject, BuiltinKinds(), run, reporters);
  Status written = reporters.OnRunEnd(summary);
  std::fflush(stdout);
  if (!written.ok()) {
    std::cerr << "ipclab: " << written.error().message << "\n";
    return 2;
  }
  for (const auto& r : summary.results) {
    if (r.outcome == Outcome::kError) return 2;
  }
  return summary.AllPassed() ? 0 : 1;
}

}  // namespace ipclab
