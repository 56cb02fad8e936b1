#include "pipeline/fd_report.h"

#include <algorithm>
#include <csignal>
#include <fstream>
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
    return std::pair<std::string, long>{s.substr(0, d), std::atol(s.c_str() + d)};
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

std::vector<std::string> CheckFdReports(const std::vector<FdReport>& reports,
                                        const FdChecks& checks) {
  std::vector<std::string> problems;
  for (const auto& r : reports) {
    if (!r.complete) {
      problems.push_back("The stage that wrote " + r.name +
                         " did not finish its report.");
      continue;
    }
    if (checks.fds) {
      std::string extra;
      for (const auto& fd : r.fds) {
        if (fd.fd > 2) extra += "    " + DescribeFd(fd) + "\n";
      }
      if (!extra.empty()) {
        problems.push_back(
            "The command that wrote " + r.name +
            " started with more than fds 0, 1 and 2 open:\n" + extra +
            "    Every descriptor the shell leaves open is inherited by the "
            "command. A stray pipe write end keeps readers from ever seeing "
            "end-of-file. Close unused pipe ends after dup2, and open the "
            "shell's own files with O_CLOEXEC.");
      }
    }
    if (checks.signals) {
      if (r.sigign != 0) {
        problems.push_back(
            "The command that wrote " + r.name + " started with " +
            SignalList(r.sigign) +
            " ignored. Ignored signals stay ignored across exec, so a "
            "command like `yes | head -n 1` prints 'Broken pipe' errors "
            "instead of ending quietly. Reset signal dispositions to "
            "SIG_DFL in the child before exec.");
      }
      if (r.sigblk != 0) {
        problems.push_back(
            "The command that wrote " + r.name + " started with " +
            SignalList(r.sigblk) +
            " blocked. The signal mask survives exec: unblock everything "
            "in the child (sigprocmask with an empty set) before exec.");
      }
    }
    if (checks.siblings && !r.siblings.empty()) {
      std::string list;
      for (const auto& s : r.siblings) {
        list += "    pid " + std::to_string(s.pid) + " `" + s.comm + "`" +
                (s.state == 'Z' ? ": finished, but never waited for (a zombie)"
                                : ": still running") +
                "\n";
      }
      problems.push_back(
          "When the line that wrote " + r.name +
          " ran, your shell still had children left over from earlier "
          "lines:\n" +
          list +
          "    The shell must wait (waitpid) for every command of a "
          "pipeline before it reads the next line.");
    }
  }
  if (checks.growth && reports.size() >= 2) {
    const auto& first = reports.front();
    const auto& last = reports.back();
    if (last.parent_fds.size() > first.parent_fds.size()) {
      std::string extra;
      for (const auto& fd : last.parent_fds) {
        bool before = std::any_of(
            first.parent_fds.begin(), first.parent_fds.end(),
            [&](const FdReport::Fd& f) { return f.fd == fd.fd; });
        if (!before) extra += "    " + DescribeFd(fd) + "\n";
      }
      problems.push_back(
          "Your shell's open descriptors grew from " +
          std::to_string(first.parent_fds.size()) + " (at " + first.name +
          ") to " + std::to_string(last.parent_fds.size()) + " (at " +
          last.name + "). New since then:\n" + extra +
          "    Each line leaks descriptors; a long script will run out. "
          "Close both ends of every pipe in the shell once the commands "
          "are started.");
    }
  }
  return problems;
}

}  // namespace ipclab
