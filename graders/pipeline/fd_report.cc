#include "pipeline/fd_report.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include "core/exit_status.h"

namespace ipclab {
namespace {

FdReport Parse(const std::filesystem::path& file) {
  FdReport r;
  r.name = file.filename().string();
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string key;
    s >> key;
    if (key == "pid") {
      s >> r.pid;
    } else if (key == "ppid") {
      s >> r.ppid;
    } else if (key == "fd" || key == "parent_fd") {
      FdReport::Fd fd;
      s >> fd.fd >> fd.mode;
      std::getline(s >> std::ws, fd.target);
      (key == "fd" ? r.fds : r.parent_fds).push_back(fd);
    } else if (key == "sigign" || key == "sigblk") {
      std::string hex;
      s >> hex;
      (key == "sigign" ? r.sigign : r.sigblk) = std::stoull(hex, nullptr, 16);
    } else if (key == "sibling") {
      FdReport::Sibling sib;
      s >> sib.pid >> sib.state;
      std::getline(s >> std::ws, sib.comm);
      r.siblings.push_back(sib);
    } else if (key == "end") {
      r.complete = true;
    }
  }
  return r;
}

// "line10" sorts after "line9".
bool NaturalLess(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    auto d = s.find_first_of("0123456789");
    if (d == std::string::npos) return std::pair<std::string, long>{s, -1};
    return std::pair<std::string, long>{s.substr(0, d),
                                        std::atol(s.c_str() + d)};
  };
  return split(a) < split(b);
}

std::string SignalList(unsigned long long mask) {
  std::string out;
  for (int sig = 1; sig <= 64; ++sig) {
    if (mask & (1ULL << (sig - 1))) {
      out += (out.empty() ? "" : ", ") + SignalName(sig);
    }
  }
  return out;
}

std::string DescribeFd(const FdReport::Fd& fd) {
  std::string what = fd.target;
  if (fd.target.rfind("pipe:", 0) == 0) {
    what = std::string(fd.mode == "w" ? "the write end" : "the read end") +
           " of a pipe (" + fd.target + ")";
  }
  return "fd " + std::to_string(fd.fd) + ": " + what;
}

}  // namespace

std::vector<FdReport> ReadFdReports(const std::filesystem::path& dir) {
  std::vector<FdReport> reports;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".fds") reports.push_back(Parse(e.path()));
  }
  std::sort(reports.begin(), reports.end(),
            [](const FdReport& a, const FdReport& b) {
              return NaturalLess(a.name, b.name);
            });
  return reports;
}

namespace {

// What the reports say, one line per finding, gathered over every stage.
struct Gathered {
  std::string unfinished, extra_fds, ignored, blocked, leftovers;
  std::set<std::string> extra_kinds;  // "fd 4", sorted.
};

void Gather(const FdReport& r, const FdChecks& checks, Gathered* g) {
  const std::string who = "  the command writing " + r.name + ":";
  if (!r.complete) {
    g->unfinished += who + " its report is cut short\n";
    return;
  }
  if (checks.fds) {
    for (const auto& fd : r.fds) {
      if (fd.fd <= 2) continue;
      g->extra_fds += who + " " + DescribeFd(fd) + "\n";
      g->extra_kinds.insert("fd " + std::to_string(fd.fd));
    }
  }
  if (checks.signals && r.sigign != 0) {
    g->ignored += who + " " + SignalList(r.sigign) + "\n";
  }
  if (checks.signals && r.sigblk != 0) {
    g->blocked += who + " " + SignalList(r.sigblk) + "\n";
  }
  if (checks.siblings) {
    for (const auto& sib : r.siblings) {
      g->leftovers +=
          who + " pid " + std::to_string(sib.pid) + " `" + sib.comm + "` " +
          (sib.state == 'Z' ? "(finished, never waited for: a zombie)"
                            : "(still running)") +
          "\n";
    }
  }
}

void AddExtraFds(const Gathered& g, std::vector<Problem>* problems) {
  if (g.extra_fds.empty()) return;
  std::string list;
  for (const auto& k : g.extra_kinds) list += (list.empty() ? "" : ", ") + k;
  problems->push_back(
      {"Commands started with descriptors other than 0, 1 and 2 open (" + list +
           ").",
       "Open descriptors each command found at its start, besides 0, 1, "
       "2:\n" +
           g.extra_fds +
           "Every descriptor the shell leaves open is inherited by the "
           "command. A stray pipe write end keeps readers from ever seeing "
           "end-of-file; a stray read end keeps writers from getting "
           "SIGPIPE. Close unused pipe ends after dup2, and open the "
           "shell's own files with O_CLOEXEC."});
}

void AddSignalsAndLeftovers(const Gathered& g, std::vector<Problem>* problems) {
  if (!g.ignored.empty()) {
    problems->push_back(
        {"Commands started with signals ignored.",
         "Ignored signals each command found at its start:\n" + g.ignored +
             "Ignored signals stay ignored across exec, so `yes | head -n 1` "
             "prints 'Broken pipe' errors instead of ending quietly. Reset "
             "every signal to SIG_DFL in the child before exec."});
  }
  if (!g.blocked.empty()) {
    problems->push_back(
        {"Commands started with signals blocked.",
         "Blocked signals each command found at its start:\n" + g.blocked +
             "The signal mask survives exec: unblock everything in the child "
             "(sigprocmask with an empty set) before exec."});
  }
  if (!g.leftovers.empty()) {
    problems->push_back(
        {"Your shell still had children from earlier lines.",
         "Other children of your shell while a one-command line ran:\n" +
             g.leftovers +
             "The shell must wait (waitpid) for every command of a pipeline "
             "before it reads the next line."});
  }
}

// The shell's own descriptors, first report against last: a leak per line.
void AddGrowth(const std::vector<FdReport>& reports,
               std::vector<Problem>* problems) {
  if (reports.size() < 2) return;
  const auto& first = reports.front();
  const auto& last = reports.back();
  if (last.parent_fds.size() <= first.parent_fds.size()) return;
  std::string extra;
  for (const auto& fd : last.parent_fds) {
    bool before =
        std::any_of(first.parent_fds.begin(), first.parent_fds.end(),
                    [&](const FdReport::Fd& f) { return f.fd == fd.fd; });
    if (!before) extra += "  " + DescribeFd(fd) + "\n";
  }
  problems->push_back(
      {"Your shell's open descriptors grew from " +
           std::to_string(first.parent_fds.size()) + " to " +
           std::to_string(last.parent_fds.size()) + " over the script.",
       "New in your shell between " + first.name + " and " + last.name + ":\n" +
           extra +
           "Each line leaks descriptors, and a long script runs out. "
           "Close both ends of every pipe in the shell once the "
           "commands are started."});
}

}  // namespace

std::vector<Problem> CheckFdReports(const std::vector<FdReport>& reports,
                                    const FdChecks& checks) {
  Gathered g;
  for (const auto& r : reports) Gather(r, checks, &g);
  std::vector<Problem> problems;
  if (!g.unfinished.empty()) {
    problems.push_back(
        {"An ipclab-fds stage did not finish its report.", g.unfinished});
  }
  AddExtraFds(g, &problems);
  AddSignalsAndLeftovers(g, &problems);
  if (checks.growth) AddGrowth(reports, &problems);
  return problems;
}

}  // namespace ipclab
