#include "cli/commands.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/build_plan.h"
#include "core/builder.h"
#include "core/launcher.h"
#include "core/outcome.h"
#include "core/paths.h"
#include "core/runner.h"
#include "core/shell_quote.h"
#include "core/spec_loader.h"
#include "core/suggest.h"
#include "report/console_reporter.h"
#include "report/gradescope_reporter.h"
#include "report/junit_reporter.h"
#include "report/student_view.h"

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
                                   const fs::path& build_dir,
                                   const BuildOptions& options,
                                   std::optional<BuildOutcome>* build,
                                   std::map<std::string, fs::path>* variants) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    auto outcome = BuildSubmission(lab.build, path, build_dir, options);
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

// A private build directory under /tmp, removed with everything in it when
// grading ends, however it ends.
class BuildDir {
 public:
  // Empty path when /tmp refuses; the caller reports it.
  BuildDir() {
    std::string tmpl =
        (fs::temp_directory_path() / "ipclab-build-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~BuildDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  BuildDir(const BuildDir&) = delete;
  BuildDir& operator=(const BuildDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

BuildOptions MakeBuildOptions(const GradeOptions& o) {
  BuildOptions build_options;
  build_options.jobs = o.jobs;
  if (!o.build_cache.empty()) {
    std::error_code ec;
    build_options.cache_dir = fs::absolute(o.build_cache, ec);
  }
  return build_options;
}

// Where a "Try it yourself" builds and runs the program, relative to the
// directory the grader runs in; never inside the submission's own files.
constexpr const char* kTryDir = "ipclab-try";

// How to build and run the graded program by hand from the directory the
// grader runs in, with paths as the student gave them. Left empty where the
// build needs the grader's own sources or libraries.
void SetByHand(const GradeOptions& o, const LabSpec& lab, Subject* subject) {
  if (o.submission.empty()) {
    subject->by_hand_program = ShellQuote({o.binary});
    if (fs::path(o.binary).is_relative() &&
        o.binary.find('/') == std::string::npos) {
      subject->by_hand_program = "./" + subject->by_hand_program;
    }
    return;
  }
  if (!lab.build.extra_sources.empty() || !lab.build.libraries.empty()) {
    return;
  }
  const std::vector<std::string> sources = FindSources(lab.build, o.submission);
  if (sources.empty()) return;
  const std::string program = std::string(kTryDir) + "/" + lab.build.output;
  std::vector<std::string> line{lab.build.compiler};
  line.insert(line.end(), lab.build.flags.begin(), lab.build.flags.end());
  line.insert(line.end(), {"-o", program});
  for (const std::string& s : sources) {
    line.push_back((fs::path(o.submission) / s).lexically_normal().string());
  }
  subject->by_hand_build =
      "mkdir -p " + std::string(kTryDir) + " && " + ShellQuote(line);
  subject->by_hand_program = program;
}

// What is graded and against what, plus the command line that reruns it.
struct PreparedSubject {
  Subject subject;
  std::string rerun;   // "ipclab grade LAB --submission DIR ...".
  std::string graded;  // The submission directory or binary, as given.
};

// Builds (or checks) the student's program and the reference, in that order;
// prints why not and returns nullopt.
std::optional<PreparedSubject> PrepareSubject(const GradeOptions& o,
                                              const LabSpec& lab,
                                              const fs::path& build_dir) {
  const BuildOptions build_options = MakeBuildOptions(o);
  PreparedSubject p;
  Subject& subject = p.subject;
  subject.helpers = BinDir();
  p.rerun = o.program + " grade " + o.lab;
  // A submission keeps its build outcome (a failed build is a result to
  // report); a ready binary has none.
  const bool from_source = !o.submission.empty();
  auto exe = from_source
                 ? PrepareExecutable("submission", o.submission, lab,
                                     build_dir / "submission", build_options,
                                     &subject.build, &subject.variants)
                 : PrepareExecutable("binary", o.binary, lab, build_dir,
                                     build_options, nullptr, &subject.variants);
  if (!exe) {
    std::cerr << "ipclab: " << exe.error().message << "\n";
    return std::nullopt;
  }
  subject.executable = *exe;
  if (from_source) {
    p.rerun += " --submission " + ShellQuote({o.submission});
    p.graded = o.submission;
  } else {
    p.rerun += " --binary " + ShellQuote({o.binary});
    p.graded = o.binary;
  }
  const fs::path reference =
      o.reference.empty() ? BinDir() / lab.reference : fs::path(o.reference);
  auto ref =
      PrepareExecutable("reference", reference, lab, build_dir / "reference",
                        build_options, nullptr, &subject.reference_variants);
  if (!ref) {
    std::cerr << "ipclab: " << ref.error().message << "\n";
    return std::nullopt;
  }
  subject.reference = *ref;
  if (!o.reference.empty())
    p.rerun += " --reference " + ShellQuote({o.reference});

  SetByHand(o, lab, &subject);
  return p;
}

// The console always; JUnit and Gradescope files when asked for. Returns the
// console too, which the run asks whether its reader is still there.
const ConsoleReporter* AddReporters(const GradeOptions& o,
                                    ReporterList& reporters) {
  // (Student-facing unless --instructor: GradeCommand puts the list behind
  // a StudentView.)
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
  return console;
}

RunOptions MakeRunOptions(const GradeOptions& o, const PreparedSubject& p,
                          const ConsoleReporter* console) {
  RunOptions run;
  run.only = o.only;
  run.jobs = o.jobs;
  run.repeat = o.repeat;
  run.rerun_prefix = p.rerun;
  if (!o.tests_from.empty()) {
    run.rerun_overlay = " --tests-from " + ShellQuote({o.tests_from});
  }
  // The rerun of an intermittent failure needs the same number of runs.
  if (o.repeat > 1) run.rerun_prefix += " --repeat " + std::to_string(o.repeat);
  run.subject = p.graded;
  run.keep_work_dirs = o.keep;
  // A test students may not see leaves no files for them to find either.
  run.keep_only_visible = !o.instructor;
  // Once the console's reader is gone (`ipclab grade ... | head`), grading
  // on is only worth it for the report files; without any, stop now.
  const bool files = !o.junit.empty() || !o.gradescope.empty();
  run.stop = [console, files] { return !files && console->ReaderGone(); };
  return run;
}

// Closes the reports and turns the run into the exit code (see main.cc).
int FinishRun(const RunSummary& summary, Reporter& reporters,
              const ConsoleReporter* console) {
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

}  // namespace

// Loads a lab by name or path; prints why not and returns nullopt.
std::optional<LabSpec> LoadLab(const std::string& lab,
                               std::filesystem::path* spec_path,
                               const std::string& tests_from) {
  auto path = SpecPath(lab);
  if (!path) {
    std::cerr << "ipclab: " << path.error().message << "\n";
    return std::nullopt;
  }
  if (spec_path != nullptr) *spec_path = fs::absolute(*path);
  auto spec = LoadLabSpec(*path, BuiltinKinds());
  if (!spec) {
    std::cerr << spec.error().message << "\n";
    return std::nullopt;
  }
  if (!tests_from.empty()) {
    if (Status s = ApplyOverlay(tests_from, BuiltinKinds(), *spec); !s.ok()) {
      std::cerr << s.error().message << "\n";
      return std::nullopt;
    }
  }
  return std::move(*spec);
}

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
    // The one place the build line is written out (handouts point here).
    std::cout << "\n" << DescribeBuild(lab->build);
  }
  return 0;
}

int GradeCommand(const GradeOptions& o) {
  auto lab = LoadLab(o.lab, nullptr, o.tests_from);
  if (!lab) return 2;
  // Each --only must match: a typo in one of several is still a typo.
  for (const std::string& only : o.only) {
    if (!OnlyMatchesSomething(*lab, only)) return 2;
  }
  const BuildDir build_dir;
  if (build_dir.path().empty()) {
    std::cerr << "ipclab: cannot create a build directory in /tmp\n";
    return 2;
  }
  auto prepared = PrepareSubject(o, *lab, build_dir.path());
  if (!prepared) return 2;
  auto list = std::make_unique<ReporterList>();
  const ConsoleReporter* console = AddReporters(o, *list);
  const RunOptions run = MakeRunOptions(o, *prepared, console);
  std::unique_ptr<Reporter> reporters = std::move(list);
  if (!o.instructor) {
    reporters = std::make_unique<StudentView>(std::move(reporters),
                                              SelectTests(*lab, run.only));
  }
  RunSummary summary =
      RunLab(*lab, prepared->subject, BuiltinKinds(), run, *reporters);
  // The exit code and --watch see what the reports show.
  if (!o.instructor) summary = ForStudents(summary);
  if (o.ids != nullptr) {
    for (const TestResult& r : summary.results) {
      if (r.id == "build") continue;  // Not a lab test; --only cannot pick it.
      o.ids->all.push_back(r.id);
      if (Info(r.outcome).is_failure) o.ids->failed.push_back(r.id);
    }
  }
  return FinishRun(summary, *reporters, console);
}

}  // namespace ipclab
