#include "pipeline/fd_report.h"

#include <algorithm>
#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include "core/exit_status.h"
#include "core/short_list.h"
#include "pipeline/causes.h"

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
  std::string unfinished, ignored, blocked;
  std::vector<ListItem> extra_fds, leftovers;
  std::set<int> extra_kinds;  // 4, 10, 100: sorted by number.
  bool shell_holds = false;   // Some extra fd was open in the shell too.
};

// True if the shell itself had `fd`'s pipe or file open when the stage
// started: then the shell leaked it, and the child only inherited it.
bool ShellHolds(const FdReport& r, const FdReport::Fd& fd) {
  for (const auto& p : r.parent_fds) {
    if (p.fd > 2 && p.target == fd.target) return true;
  }
  return false;
}

void Gather(const FdReport& r, const FdChecks& checks, Gathered* g) {
  const std::string who = "  the command writing " + r.name + ":";
  if (!r.complete) {
    g->unfinished += who + " its report is cut short\n";
    return;
  }
  if (checks.fds) {
    for (const auto& fd : r.fds) {
      if (fd.fd <= 2) continue;
      const bool shell = ShellHolds(r, fd);
      g->shell_holds |= shell;
      g->extra_fds.push_back(
          {"fd " + std::to_string(fd.fd) + (shell ? " shell" : ""),
           who + " " + DescribeFd(fd) +
               (shell ? " (your shell holds it too)" : "")});
      g->extra_kinds.insert(fd.fd);
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
      const std::string state = sib.state == 'Z'
                                    ? "(finished, never waited for: a zombie)"
                                    : "(still running)";
      g->leftovers.push_back(
          {sib.comm + state, who + " pid " + std::to_string(sib.pid) + " `" +
                                 sib.comm + "` " + state});
    }
  }
}

void AddExtraFds(const Gathered& g, std::vector<Problem>* problems) {
  if (g.extra_fds.empty()) return;
  std::string list;
  for (const int fd : g.extra_kinds) {
    list += (list.empty() ? "fd " : ", fd ") + std::to_string(fd);
  }
  // Who must close it: a descriptor the shell still held when the command
  // started is the shell's leak (the child only inherited it).
  problems->push_back(
      {"Commands started with descriptors other than 0, 1 and 2 open (" + list +
           ").",
       "Open descriptors each command found at its start, besides 0, 1, "
       "2:\n" +
           ShortList(g.extra_fds, "") +
           "Every descriptor open in the shell at fork() is inherited by the "
           "command, and stays open across exec unless it has O_CLOEXEC.",
       g.shell_holds ? psh_causes::ParentHoldsPipeEnd()
                     : psh_causes::ChildExtraFds()});
}

void AddSignalsAndLeftovers(const Gathered& g, std::vector<Problem>* problems) {
  if (!g.ignored.empty()) {
    problems->push_back(
        {"Commands started with signals ignored.",
         "Ignored signals each command found at its start:\n" + g.ignored,
         psh_causes::SignalsNotReset()});
  }
  if (!g.blocked.empty()) {
    problems->push_back(
        {"Commands started with signals blocked.",
         "Blocked signals each command found at its start:\n" + g.blocked,
         psh_causes::SignalsNotReset()});
  }
  if (!g.leftovers.empty()) {
    problems->push_back(
        {"Your shell still had children from earlier lines.",
         "Other children of your shell while a one-command line ran:\n" +
             ShortList(g.leftovers, ""),
         psh_causes::UnreapedChildren()});
  }
}

// The shell's own descriptors, first report against last: a leak per line.
void AddGrowth(const std::vector<FdReport>& reports,
               std::vector<Problem>* problems) {
  if (reports.size() < 2) return;
  const auto& first = reports.front();
  const auto& last = reports.back();
  if (last.parent_fds.size() <= first.parent_fds.size()) return;
  std::vector<FdReport::Fd> added;
  for (const auto& fd : last.parent_fds) {
    bool before =
        std::any_of(first.parent_fds.begin(), first.parent_fds.end(),
                    [&](const FdReport::Fd& f) { return f.fd == fd.fd; });
    if (!before) added.push_back(fd);
  }
  // By number: fd 4, 10, 100, not as text (fd 10, 100, 4).
  std::sort(added.begin(), added.end(),
            [](const auto& a, const auto& b) { return a.fd < b.fd; });
  std::vector<ListItem> items;
  for (const auto& fd : added) items.push_back({fd.mode, DescribeFd(fd)});
  const std::string extra = ShortList(items, "  ");
  problems->push_back(
      {"Your shell's open descriptors grew from " +
           std::to_string(first.parent_fds.size()) + " to " +
           std::to_string(last.parent_fds.size()) + " over the script.",
       "New in your shell between " + first.name + " and " + last.name + ":\n" +
           extra + "Each line leaks descriptors, and a long script runs out.",
       psh_causes::ParentHoldsPipeEnd()});
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
