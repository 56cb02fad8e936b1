#include "cli/init_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/paths.h"
#include "core/probe.h"
#include "core/shell_quote.h"
#include "core/spec.h"
#include "core/spec_loader.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

std::string Words(const std::vector<std::string>& words) {
  return words.empty() ? "" : ShellQuote(words);
}

// DIR must not hold a student's work already: init never overwrites.
bool UsableDir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (fs::is_directory(dir, ec) && fs::is_empty(dir, ec)) return true;
  std::cerr << "ipclab init: " << dir.string()
            << " already exists and is not empty; give a new folder name "
               "(init never overwrites your work).\n";
  return false;
}

Status Copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (!ec) {
    fs::copy(from, to, fs::copy_options::recursive, ec);
  }
  if (ec) return Error{"cannot copy " + from.string() + ": " + ec.message()};
  return {};
}

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return Error{"cannot write " + path.string()};
  return {};
}

// The running ipclab, by its real path: `make grade` works from any shell.
std::string SelfPath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "ipclab" : exe.string();
}

}  // namespace

std::string InitMakefile(const LabSpec& lab, const std::string& ipclab) {
  const BuildSpec& b = lab.build;
  std::string globs;
  for (const auto& g : b.sources) globs += (globs.empty() ? "" : " ") + g;
  const bool linked = !b.extra_sources.empty() || !b.libraries.empty();
  std::string mk = "# Made by `ipclab init " + lab.name +
                   "`. The grader never runs this file: it builds your\n"
                   "# sources itself as `ipclab list " +
                   lab.name + "` prints. ";
  mk += linked ? "`make` compiles them with the\n# same flags; the grader "
                 "links them with its own driver (`make grade`).\n"
               : "`make` runs that\n# same line.\n";
  mk += "IPCLAB ?= " + ipclab + "\n" + "SOURCES := $(wildcard " + globs +
        ")\n"
        "FLAGS := " +
        Words(b.flags) + "\n\n";
  if (!linked) {
    mk += b.output + ": $(SOURCES) $(wildcard *.h *.hpp)\n\t" +
          Words({b.compiler}) + " $(FLAGS) -o " + Words({b.output}) +
          " $(SOURCES)\n\n";
  } else {
    // The grader links these files with its own driver; here they are
    // compiled with the lab's flags, which finds every compiler error.
    mk +=
        "compile: $(SOURCES) $(wildcard *.h *.hpp)\n"
        "\tfor f in $(SOURCES); do " +
        Words({b.compiler}) +
        " $(FLAGS) -I . -c \"$$f\" -o /dev/null || exit 1; done\n\n";
  }
  mk += "grade:\n\t\"$(IPCLAB)\" grade " + lab.name +
        " --submission .\n\n"
        "clean:\n\trm -f " +
        Words({b.output}) + "\n\n.PHONY: grade clean" +
        (linked ? " compile" : "") + "\n";
  return mk;
}

int InitCommand(const InitOptions& o) {
  const fs::path root = SourceDir();
  const fs::path spec_path = root / "labs" / o.lab / "lab.yaml";
  std::error_code ec;
  if (o.lab.find('/') != std::string::npos || !fs::exists(spec_path, ec)) {
    std::cerr << "ipclab init: there is no lab named '" << o.lab
              << "'; `ipclab list` lists the labs.\n";
    return 2;
  }
  auto lab = LoadLabSpec(spec_path, BuiltinKinds());
  if (!lab) {
    std::cerr << lab.error().message << "\n";
    return 2;
  }
  const fs::path dir = o.dir;
  if (!UsableDir(dir)) return 2;
  Status made = Copy(root / "skeletons" / o.lab, dir);
  if (made.ok()) {
    fs::copy_file(root / "labs" / o.lab / "README.md", dir / kHandoutFile, ec);
    if (ec) made = Error{"cannot copy the handout: " + ec.message()};
  }
  if (made.ok()) {
    made = WriteText(dir / "Makefile", InitMakefile(*lab, SelfPath()));
  }
  if (!made.ok()) {
    std::cerr << "ipclab init: " << made.error().message << "\n";
    return 2;
  }
  std::cout << "Made " << dir.string() << " for lab " << lab->name
            << ": the skeleton, " << kHandoutFile
            << " (the handout) and a Makefile.\n"
            << "  cd " << ShellQuote({dir.string()})
            << " && make && make grade\n";
  return 0;
}

}  // namespace ipclab
