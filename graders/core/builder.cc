// Implementation notes. Each source is compiled on its own, several at once
// (up to `jobs`), then linked: the same program as one g++ line, in about
// half the wall time on two cores. With variants (sanitizer builds) every
// source is compiled once per variant, all in the same parallel pool.
#include "core/builder.h"

#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "core/launcher.h"
#include "core/paths.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

struct Step {
  std::vector<std::string> argv;
  std::optional<Result<LaunchResult>> run;  // Set once it has run.
};

void RunSteps(std::vector<Step>& steps, const fs::path& cwd,
              std::chrono::milliseconds timeout, int jobs) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < steps.size();) {
      LaunchSpec spec;
      spec.argv = steps[i].argv;
      spec.cwd = cwd;
      spec.timeout = timeout;
      spec.limits.processes = 0;  // The compiler is trusted.
      steps[i].run = Launch(spec);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < std::min<int>(jobs, steps.size()); ++j) {
    threads.emplace_back(worker);
  }
  worker();
  for (auto& t : threads) t.join();
}

std::vector<std::string> FindSources(const BuildSpec& build,
                                     const fs::path& submission) {
  std::vector<std::string> sources;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(submission, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    for (const auto& glob : build.sources) {
      if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) {
        sources.push_back(name);
        break;
      }
    }
  }
  std::sort(sources.begin(), sources.end());
  return sources;
}

}  // namespace

Result<BuildOutcome> BuildSubmission(const BuildSpec& build,
                                     const std::filesystem::path& submission,
                                     const std::filesystem::path& out_dir,
                                     int jobs) {
  BuildOutcome outcome;
  std::error_code ec;
  if (!fs::is_directory(submission, ec)) {
    return Error{submission.string() + ": not a directory"};
  }
  const std::vector<std::string> own = FindSources(build, submission);
  if (own.empty()) {
    std::string globs;
    for (const auto& g : build.sources) globs += (globs.empty() ? "" : " ") + g;
    outcome.problem =
        "no source files (" + globs + ") in " + submission.string();
    outcome.source_globs = build.sources;
    outcome.searched = submission;
    for (const auto& entry : fs::directory_iterator(submission, ec)) {
      std::string name = entry.path().filename().string();
      if (entry.is_directory(ec)) name += "/";
      outcome.found_instead.push_back(name);
    }
    std::sort(outcome.found_instead.begin(), outcome.found_instead.end());
    return outcome;
  }
  fs::create_directories(out_dir, ec);
  const fs::path src_dir = fs::absolute(submission, ec);
  const fs::path out = fs::absolute(out_dir, ec);

  // The grader's own sources (a driver, or the bridge to a prebuilt one in
  // `libraries`) see the submission's headers through -I.
  std::vector<std::string> sources = own;
  std::vector<std::string> base_flags = build.flags;
  if (!build.extra_sources.empty()) {
    base_flags.push_back("-I" + src_dir.string());
    for (const auto& extra : build.extra_sources) {
      const fs::path pattern = SourceDir() / extra;
      const std::string name = pattern.filename().string();
      if (name.find_first_of("*?[") == std::string::npos) {
        sources.push_back(pattern.string());
        continue;
      }
      std::vector<std::string> found;
      for (const auto& e : fs::directory_iterator(pattern.parent_path(), ec)) {
        if (fnmatch(name.c_str(), e.path().filename().c_str(), 0) == 0) {
          found.push_back(e.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        return Error{"no grader sources match " + pattern.string()};
      }
      sources.insert(sources.end(), found.begin(), found.end());
    }
  }

  // lib/libX.a for the plain build, lib/libX-NAME.a for variant NAME.
  auto library = [](const std::string& lib, const std::string& suffix) {
    fs::path path = BinDir() / lib;
    const std::string stem = path.stem().string();
    return path.replace_filename(stem + suffix + path.extension().string());
  };

  std::vector<std::pair<std::string, std::vector<std::string>>> variants{
      {"", {}}};
  variants.insert(variants.end(), build.variants.begin(), build.variants.end());

  std::vector<Step> compiles;
  std::vector<Step> links;
  for (const auto& [name, extra_flags] : variants) {
    std::vector<std::string> flags = base_flags;
    flags.insert(flags.end(), extra_flags.begin(), extra_flags.end());
    const std::string suffix = name.empty() ? "" : "-" + name;
    const fs::path exe = out / (build.output + suffix);
    std::vector<std::string> objects;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      std::string object =
          (out / (std::to_string(i) + "-" +
                  fs::path(sources[i]).filename().string() + suffix + ".o"))
              .string();
      std::vector<std::string> argv{build.compiler};
      argv.insert(argv.end(), flags.begin(), flags.end());
      argv.insert(argv.end(), {"-c", sources[i], "-o", object});
      compiles.push_back(Step{argv, std::nullopt});
      objects.push_back(object);
    }
    std::vector<std::string> link{build.compiler};
    link.insert(link.end(), flags.begin(), flags.end());
    link.insert(link.end(), {"-o", exe.string()});
    link.insert(link.end(), objects.begin(), objects.end());
    for (const auto& lib : build.libraries) {
      const fs::path path = library(lib, suffix);
      if (!fs::exists(path, ec)) {
        return Error{"the grader's library " + path.string() +
                     " is missing; build ipclab first (scripts/build.sh)"};
      }
      link.push_back(path.string());
    }
    links.push_back(Step{link, std::nullopt});
    if (name.empty()) {
      outcome.executable = exe;
    } else {
      outcome.variants[name] = exe;
    }
  }

  // What a student would type to get the main program.
  std::vector<std::string> one_line{build.compiler};
  one_line.insert(one_line.end(), base_flags.begin(), base_flags.end());
  one_line.insert(one_line.end(), {"-o", build.output});
  one_line.insert(one_line.end(), sources.begin(), sources.end());
  for (const auto& lib : build.libraries) {
    one_line.push_back(library(lib, "").string());
  }
  outcome.command =
      "cd " + ShellQuote({src_dir.string()}) + " && " + ShellQuote(one_line);

  auto judge = [&](const std::vector<Step>& steps) -> Status {
    for (const auto& step : steps) {
      if (!step.run) return Error{"a build step did not run"};
      if (!step.run->ok()) return step.run->error();
      const LaunchResult& r = step.run->value();
      if (r.termination == Termination::kNotStarted) {
        return Error{"cannot run the compiler '" + build.compiler +
                     "': " + r.exec_error};
      }
      if (!r.out.empty() || !r.err.empty()) {
        if (outcome.output.find(r.err) == std::string::npos) {
          outcome.output += r.out + r.err;
        }
      }
      if (!outcome.problem.empty()) continue;
      if (r.termination == Termination::kDeadline) {
        outcome.problem = "the compiler did not finish within the time limit";
      } else if (EndedByLimit(r.termination)) {
        outcome.problem = "the compiler went past a limit of the grader's";
      } else if (r.status != ExitStatus::Exited(0)) {
        outcome.problem =
            "the compiler reported errors (" + r.status.Describe() + ")";
      }
    }
    return {};
  };
  RunSteps(compiles, src_dir, build.timeout, jobs);
  if (Status s = judge(compiles); !s.ok()) return s.error();
  if (!outcome.problem.empty()) return outcome;
  RunSteps(links, src_dir, build.timeout, jobs);
  if (Status s = judge(links); !s.ok()) return s.error();
  if (!outcome.problem.empty()) return outcome;
  if (!fs::exists(outcome.executable, ec)) {
    outcome.problem = "the compiler produced no executable";
  } else {
    outcome.ok = true;
  }
  return outcome;
}

}  // namespace ipclab
