#include "core/build_plan.h"

#include <fnmatch.h>

#include <algorithm>

#include "core/paths.h"
#include "core/shell_quote.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

// The grader's own sources (a driver, or the bridge to a prebuilt one),
// relative to the source tree; a file name may be a glob.
Result<std::vector<std::string>> GraderSources(const BuildSpec& build) {
  std::vector<std::string> sources;
  std::error_code ec;
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
  return sources;
}

// lib/libX.a for the plain build, lib/libX-NAME.a for variant NAME.
fs::path Library(const std::string& lib, const std::string& suffix) {
  fs::path path = BinDir() / lib;
  const std::string stem = path.stem().string();
  return path.replace_filename(stem + suffix + path.extension().string());
}

// One variant's compiles and link (its executable is OUTPUT-NAME).
Status PlanVariant(const BuildSpec& build,
                   const std::vector<std::string>& flags,
                   const std::vector<std::string>& sources, const fs::path& out,
                   const std::string& name, BuildPlan* plan) {
  const std::string suffix = name.empty() ? "" : "-" + name;
  const fs::path exe = out / (build.output + suffix);
  std::vector<std::string> objects;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string object =
        (out / (std::to_string(i) + "-" +
                fs::path(sources[i]).filename().string() + suffix + ".o"))
            .string();
    std::vector<std::string> argv{build.compiler};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-c", sources[i], "-o", object});
    plan->compiles.push_back(std::move(argv));
    objects.push_back(object);
  }
  std::vector<std::string> link{build.compiler};
  link.insert(link.end(), flags.begin(), flags.end());
  link.insert(link.end(), {"-o", exe.string()});
  link.insert(link.end(), objects.begin(), objects.end());
  std::error_code ec;
  for (const auto& lib : build.libraries) {
    const fs::path path = Library(lib, suffix);
    if (!fs::exists(path, ec)) {
      return Error{"the grader's library " + path.string() +
                   " is missing; build ipclab first (scripts/build.sh)"};
    }
    link.push_back(path.string());
  }
  plan->links.push_back(std::move(link));
  if (name.empty()) {
    plan->executable = exe;
  } else {
    plan->variants[name] = exe;
  }
  return {};
}

}  // namespace

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

Result<BuildPlan> PlanBuild(const BuildSpec& build, const fs::path& submission,
                            const fs::path& out,
                            const std::vector<std::string>& own) {
  // The grader's sources see the submission's headers through -I.
  std::vector<std::string> sources = own;
  std::vector<std::string> base_flags = build.flags;
  if (!build.extra_sources.empty()) {
    base_flags.push_back("-I" + submission.string());
    auto extra = GraderSources(build);
    if (!extra) return extra.error();
    sources.insert(sources.end(), extra->begin(), extra->end());
  }
  BuildPlan plan;
  std::vector<std::pair<std::string, std::vector<std::string>>> variants{
      {"", {}}};
  variants.insert(variants.end(), build.variants.begin(), build.variants.end());
  for (const auto& [name, extra_flags] : variants) {
    std::vector<std::string> flags = base_flags;
    flags.insert(flags.end(), extra_flags.begin(), extra_flags.end());
    Status s = PlanVariant(build, flags, sources, out, name, &plan);
    if (!s.ok()) return s.error();
  }
  std::vector<std::string> one_line{build.compiler};
  one_line.insert(one_line.end(), base_flags.begin(), base_flags.end());
  one_line.insert(one_line.end(), {"-o", build.output});
  one_line.insert(one_line.end(), sources.begin(), sources.end());
  for (const auto& lib : build.libraries) {
    one_line.push_back(Library(lib, "").string());
  }
  plan.command =
      "cd " + ShellQuote({submission.string()}) + " && " + ShellQuote(one_line);
  return plan;
}

std::string DescribeBuild(const BuildSpec& build) {
  std::string globs;
  for (const auto& g : build.sources) {
    globs += (globs.empty() ? "" : " or ") + g;
  }
  std::vector<std::string> line{build.compiler};
  line.insert(line.end(), build.flags.begin(), build.flags.end());
  if (!build.extra_sources.empty()) line.push_back("-I YOUR_FOLDER");
  line.insert(line.end(), {"-o", build.output, "YOUR_FILES"});
  std::string text = "Build: every file matching " + globs +
                     " in your folder (never your Makefile or "
                     "CMakeLists.txt)\n";
  for (const auto& extra : build.extra_sources) {
    text += "  with the grader's " + extra + "\n";
    line.push_back(fs::path(extra).filename().string());
  }
  for (const auto& lib : build.libraries) {
    text += "  with the grader's " + lib + "\n";
    line.push_back(lib);
  }
  // Joined by hand: ShellQuote would quote the placeholders.
  std::string joined;
  for (const auto& word : line) joined += (joined.empty() ? "" : " ") + word;
  text += "is compiled and linked as\n  " + joined + "\n";
  for (const auto& [name, flags] : build.variants) {
    std::string extra;
    for (const auto& f : flags) extra += " " + f;
    text += "and again as " + build.output + "-" + name + ", with" + extra +
            " added\n";
  }
  if (build.extra_sources.empty() && !build.sources.empty()) {
    text += "To build it the same way in your folder, type:\n  ";
    std::vector<std::string> typed{build.compiler};
    typed.insert(typed.end(), build.flags.begin(), build.flags.end());
    typed.insert(typed.end(), {"-o", build.output});
    std::string words = ShellQuote(typed);
    text += words + " " + build.sources.front() + "\n";
    if (build.sources.size() > 1) {
      text += "  (add the other patterns, such as " + build.sources[1] +
              ", only if you have such files: a shell passes a pattern "
              "that matches nothing to the compiler as it is)\n";
    }
  }
  return text;
}

}  // namespace ipclab
