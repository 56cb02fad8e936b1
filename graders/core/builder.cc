#include "core/builder.h"

#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/launcher.h"

namespace ipclab {

Result<BuildOutcome> BuildSubmission(const BuildSpec& build,
                                     const std::filesystem::path& submission,
                                     const std::filesystem::path& out_dir,
                                     int jobs) {
  namespace fs = std::filesystem;
  BuildOutcome outcome;
  std::error_code ec;
  if (!fs::is_directory(submission, ec)) {
    return Error{submission.string() + ": not a directory"};
  }
  std::vector<std::string> sources;
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
  if (sources.empty()) {
    std::string globs;
    for (const auto& g : build.sources) globs += (globs.empty() ? "" : " ") + g;
    outcome.problem = "no source files (" + globs + ") in " +
                      submission.string();
    return outcome;
  }

  fs::create_directories(out_dir, ec);
  const fs::path src_dir = fs::absolute(submission, ec);
  outcome.executable = fs::absolute(out_dir / build.output, ec);

  // One compiler run per source, several at once, then one link: the same
  // result as a single g++ line, in about half the wall time on two cores.
  struct Step {
    std::vector<std::string> argv;
    Result<LaunchResult> run = Error{"not run"};
  };
  std::vector<Step> compiles;
  std::vector<std::string> objects;
  for (const auto& source : sources) {
    std::string object = (fs::absolute(out_dir) / (source + ".o")).string();
    std::vector<std::string> argv{build.compiler};
    argv.insert(argv.end(), build.flags.begin(), build.flags.end());
    argv.insert(argv.end(), {"-c", source, "-o", object});
    compiles.push_back({argv});
    objects.push_back(object);
  }
  auto run_step = [&](Step& step) {
    LaunchSpec spec;
    spec.argv = step.argv;
    spec.cwd = src_dir;
    spec.timeout = build.timeout;
    step.run = Launch(spec);
  };
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < compiles.size();) run_step(compiles[i]);
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < std::min<int>(jobs, compiles.size()); ++j) {
    threads.emplace_back(worker);
  }
  worker();
  for (auto& t : threads) t.join();

  std::vector<std::string> link{build.compiler};
  link.insert(link.end(), build.flags.begin(), build.flags.end());
  link.insert(link.end(), {"-o", outcome.executable.string()});
  link.insert(link.end(), objects.begin(), objects.end());
  // What a student would type to get the same program.
  std::vector<std::string> one_line{build.compiler};
  one_line.insert(one_line.end(), build.flags.begin(), build.flags.end());
  one_line.insert(one_line.end(), {"-o", build.output});
  one_line.insert(one_line.end(), sources.begin(), sources.end());
  outcome.command =
      "cd " + ShellQuote({src_dir.string()}) + " && " + ShellQuote(one_line);

  auto judge = [&](const Result<LaunchResult>& run) -> Status {
    if (!run) return run.error();
    outcome.output += run->out + run->err;
    if (run->exec_failed) {
      return Error{"cannot run the compiler '" + build.compiler +
                   "': " + run->exec_error};
    }
    if (outcome.problem.empty()) {
      if (run->timed_out) {
        outcome.problem = "the compiler did not finish within the time limit";
      } else if (run->status != ExitStatus::Exited(0)) {
        outcome.problem = "the compiler reported errors (" +
                          run->status.Describe() + ")";
      }
    }
    return {};
  };
  for (const auto& step : compiles) {
    if (Status s = judge(step.run); !s.ok()) return s.error();
  }
  if (!outcome.problem.empty()) return outcome;
  Step linking{link};
  run_step(linking);
  if (Status s = judge(linking.run); !s.ok()) return s.error();
  if (!outcome.problem.empty()) return outcome;
  if (!fs::exists(outcome.executable, ec)) {
    outcome.problem = "the compiler produced no executable";
  } else {
    outcome.ok = true;
  }
  return outcome;
}

}  // namespace ipclab
