#include "cli/commands.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/builder.h"
#include "core/launcher.h"
#include "core/paths.h"
#include "core/runner.h"
#include "core/spec_loader.h"
#include "core/suggest.h"
#include "report/console_reporter.h"
#include "report/gradescope_reporter.h"
#include "report/junit_reporter.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

fs::path LabsDir() { return SourceDir() / "labs"; }

// The labs that exist: directories of labs/ holding a lab.yaml.
std::vector<std::string> LabNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(LabsDir(), ec)) {
    if (fs::exists(entry.path() / "lab.yaml", ec)) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A lab is named ("pipeline") or given as a path to its lab.yaml. An unknown
// name is an error that lists the labs there are.
Result<fs::path> SpecPath(const std::string& lab) {
  if (lab.find('/') != std::string::npos ||
      fs::path(lab).extension() == ".yaml") {
    return fs::path(lab);
  }
  const fs::path spec = LabsDir() / lab / "lab.yaml";
  std::error_code ec;
  if (fs::exists(spec, ec)) return spec;
  const std::vector<std::string> names = LabNames();
  if (names.empty()) {
    return Error{"there is no lab named '" + lab + "', and no lab at all in " +
                 LabsDir().string()};
  }
  const std::string nearest = Closest(lab, names, 1).front();
  const bool likely = EditDistance(lab, nearest) <= nearest.size() / 3;
  return Error{"there is no lab named '" + lab + "'." +
               (likely ? " Did you mean " + nearest + "?" : "") +
               " The labs are " + JoinNames(names) +
               " (or give the path to a lab.yaml)."};
}

// Loads a lab by name or path; prints why not and returns nullopt.
std::optional<LabSpec> LoadLab(const std::string& lab) {
  auto path = SpecPath(lab);
  if (!path) {
    std::cerr << "ipclab: " << path.error().message << "\n";
    return std::nullopt;
  }
  auto spec = LoadLabSpec(*path, BuiltinKinds());
  if (!spec) {
    std::cerr << spec.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*spec);
}

// `--only` that selects nothing is a typo far more often than a wish to
// grade nothing: a usage error, naming the ids it was probably meant to be.
bool OnlyMatchesSomething(const LabSpec& lab, const std::string& only) {
  if (only.empty() || !SelectTests(lab, only).empty()) return true;
  std::vector<std::string> ids;
  for (const auto& t : lab.tests) ids.push_back(t.id);
  std::cerr << "ipclab grade: --only '" << only << "' matches no test of lab "
            << lab.name << ".";
  if (!ids.empty()) {
    std::cerr << " The closest test ids are " << JoinNames(Closest(only, ids))
              << ".";
  }
  std::cerr << " `ipclab list " << lab.name
            << "` lists every test; --only takes an exact id, a glob "
               "(sigpipe-*) or a word that ids contain.\n";
  return false;
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

void ExitAsIfBySigpipe() {
  // The grader ignores SIGPIPE while it runs (writes to a student's stdin
  // must fail with EPIPE, not kill it); restore the default and take it, so
  // a shell sees what `yes | head` shows: killed by SIGPIPE, status 141.
  std::signal(SIGPIPE, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  std::raise(SIGPIPE);
  std::_Exit(128 + SIGPIPE);  // Not reached.
}

int ListCommand(const ListOptions& options) {
  // Listing runs nothing, so it needs no protection from SIGPIPE: with the
  // default back, `ipclab list | head` ends as any filter does.
  std::signal(SIGPIPE, SIG_DFL);
  std::vector<std::string> labs;
  if (!options.lab.empty()) {
    labs.push_back(options.lab);
  } else {
    labs = LabNames();
    if (labs.empty()) {
      std::cerr << "ipclab: no labs found in " << LabsDir().string() << "\n";
      return 2;
    }
  }
  for (const auto& name : labs) {
    auto lab = LoadLab(name);
    if (!lab) return 2;
    std::cout << lab->name << ": " << lab->title << " (" << lab->tests.size()
              << " tests, " << Number(lab->MaxPoints()) << " points)\n";
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
  auto lab = LoadLab(o.lab);
  if (!lab) return 2;
  // Each --only must match: a typo in one of several is still a typo.
  for (const std::string& only : o.only) {
    if (!OnlyMatchesSomething(*lab, only)) return 2;
  }

  std::string tmpl =
      (fs::temp_directory_path() / "ipclab-build-XXXXXX").string();
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
    auto exe = PrepareExecutable("binary", o.binary, *lab, build_dir, o.jobs,
                                 nullptr, &subject.variants);
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
  auto ref =
      PrepareExecutable("reference", reference, *lab, build_dir / "reference",
                        o.jobs, nullptr, &subject.reference_variants);
  if (!ref) {
    std::cerr << "ipclab: " << ref.error().message << "\n";
    return 2;
  }
  subject.reference = *ref;
  if (!o.reference.empty())
    rerun += " --reference " + ShellQuote({o.reference});

  ReporterList reporters;
  auto console_owned = std::make_unique<ConsoleReporter>(
      stdout, ConsoleOptions{ShouldUseColor(stdout), o.verbose});
  const ConsoleReporter* console = console_owned.get();
  reporters.Add(std::move(console_owned));
  if (!o.junit.empty()) {
    reporters.Add(std::make_unique<JUnitReporter>(o.junit));
  }
  if (!o.gradescope.empty()) {
    reporters.Add(std::make_unique<GradescopeReporter>(o.gradescope));
  }

  RunOptions run;
  run.only = o.only;
  run.jobs = o.jobs;
  run.repeat = o.repeat;
  // The rerun of an intermittent failure needs the same number of runs.
  if (o.repeat > 1) rerun += " --repeat " + std::to_string(o.repeat);
  run.rerun_prefix = rerun;
  run.subject = graded;
  run.keep_work_dirs = o.keep;
  // Once the console's reader is gone (`ipclab grade ... | head`), grading
  // on is only worth it for the report files; without any, stop now.
  const bool files = !o.junit.empty() || !o.gradescope.empty();
  run.stop = [console, files] { return !files && console->ReaderGone(); };
  RunSummary summary = RunLab(*lab, subject, BuiltinKinds(), run, reporters);
  // Every reporter gets OnRunEnd, so the files are complete (and renamed
  // into place) before a vanished console reader ends the process.
  Status written = reporters.OnRunEnd(summary);
  std::fflush(stdout);
  if (console->ReaderGone()) {
    if (!written.ok()) {
      std::cerr << "ipclab: " << written.error().message << "\n";
    }
    ExitAsIfBySigpipe();
  }
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
