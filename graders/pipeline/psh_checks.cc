#include "pipeline/psh_checks.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/short_list.h"
#include "core/text_diff.h"
#include "pipeline/causes.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path, bool* exists) {
  std::ifstream in(path, std::ios::binary);
  *exists = bool(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Octal(unsigned mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%04o", mode);
  return text;
}

// The permission bits of `path`, or -1 if it cannot be read.
int FileMode(const fs::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return int(st.st_mode & 07777);
}

void CheckStatus(const StatusRule& rule, const PshRun& mine, const PshRun& ref,
                 Findings* f) {
  const int want = ref.result.status.ShellStatus();
  std::string bad = JudgeStatus(rule, mine.result.status.ShellStatus(), want);
  if (bad.empty()) return;
  // Above 128 the reference's last command was killed by a signal: a wrong
  // status here is a wrong decoding of waitpid()'s status.
  f->problems.push_back(
      {bad, "", want > 128 ? psh_causes::SignalStatus() : Cause{}});
}

void CheckStdout(const PshRun& mine, const PshRun& ref, Findings* f) {
  if (mine.result.out == ref.result.out) return;
  f->problems.push_back({"Standard output differs from a POSIX shell's.", ""});
  f->evidence.push_back({"Stdout difference",
                         DescribeDifference(ref.result.out, mine.result.out)});
}

// Each named file: there (or not) as in the reference's run, with the same
// contents and mode.
void CheckFiles(const std::vector<std::string>& files, const PshRun& mine,
                const PshRun& ref, Findings* f) {
  for (const auto& file : files) {
    bool mine_exists = false, ref_exists = false;
    std::string a = ReadFile(mine.dir / file, &mine_exists);
    std::string b = ReadFile(ref.dir / file, &ref_exists);
    if (mine_exists != ref_exists) {
      f->problems.push_back({"The file '" + file + "' should " +
                                 (ref_exists ? "exist" : "not exist") +
                                 " after the script, but it " +
                                 (mine_exists ? "does." : "does not."),
                             ""});
    } else if (a != b) {
      f->problems.push_back(
          {"The file '" + file + "' has the wrong contents.", ""});
      f->evidence.push_back(
          {"Difference in " + file, DescribeDifference(b, a)});
    }
    const std::string mode = CheckFileMode(file, FileMode(mine.dir / file),
                                           FileMode(ref.dir / file));
    if (!mode.empty()) f->problems.push_back({mode, ""});
  }
}

// Processes still there when the shell exited (reported by ipclab-init).
// " (cat -n)" after a stray's name; nothing when it says no more than the
// name. Cut short: a 2,000-word command line is one line of the report.
std::string CommandLine(const std::string& cmdline, const std::string& comm) {
  if (cmdline.empty() || cmdline == comm) return "";
  constexpr std::size_t kMax = 60;
  if (cmdline.size() <= kMax) return " (" + cmdline + ")";
  return " (" + cmdline.substr(0, kMax) + " ...)";
}

void CheckStrays(const LaunchResult& r, Findings* f) {
  if (r.strays.empty()) return;
  std::vector<ListItem> items;
  for (const auto& s : r.strays) {
    const std::string state =
        s.state == 'Z' ? ": finished, never waited for" : ": still running";
    items.push_back({s.comm + state, "pid " + std::to_string(s.pid) + " `" +
                                         s.comm + "`" + state +
                                         CommandLine(s.cmdline, s.comm)});
  }
  f->problems.push_back(
      {"When your shell exited, commands it started were left behind.",
       ShortList(items, "  "), psh_causes::UnreapedChildren()});
}

// What the ipclab-fds stages reported about the descriptors and signals
// they inherited.
void CheckReports(const Params& p, const PshRun& mine, Findings* f) {
  const auto reports = ReadFdReports(mine.dir);
  if (p.Has("min_reports") &&
      std::int64_t(reports.size()) < p.Int("min_reports")) {
    f->problems.push_back({"Only " + std::to_string(reports.size()) + " of " +
                               std::to_string(p.Int("min_reports")) +
                               " ipclab-fds stages ran and wrote their report.",
                           ""});
  }
  FdChecks checks;
  for (const auto& c : p.StringList("reports")) {
    checks.fds |= c == "fds";
    checks.signals |= c == "signals";
    checks.siblings |= c == "siblings";
    checks.growth |= c == "growth";
  }
  for (auto& problem : CheckFdReports(reports, checks)) {
    f->problems.push_back(std::move(problem));
  }
}

}  // namespace

std::string CheckFileMode(const std::string& file, int mine, int ref) {
  if (mine < 0 || ref < 0 || mine == ref) return {};
  const unsigned created = 0666 & ~unsigned(kPshUmask);
  std::string text = "The file '" + file + "' has mode " + Octal(mine) +
                     ", where the reference's has " + Octal(ref) + ".";
  // The rule is named only where the reference's file shows it: a file
  // made by a command (not by `>`) may have another mode.
  if (unsigned(ref) == created) {
    text +=
        " POSIX creates a file for `>` with mode 0666 less the umask "
        "(XCU 1.1.1.4, File Read, Write, and Creation); the grader runs "
        "your shell with umask " +
        Octal(kPshUmask) + ", so " + Octal(created) +
        ": open(FILE, O_WRONLY | O_CREAT | O_TRUNC, 0666) gives exactly that.";
  }
  return text;
}

Findings CheckRun(const Params& p, const std::set<std::string>& compare,
                  const StatusRule& rule, const PshRun& mine,
                  const PshRun& ref) {
  Findings f;
  if (compare.count("status")) CheckStatus(rule, mine, ref, &f);
  if (compare.count("stdout")) CheckStdout(mine, ref, &f);
  CheckFiles(p.StringList("files"), mine, ref, &f);
  if (p.Bool("stderr_empty") && !mine.result.err.empty()) {
    f.problems.push_back(
        {"Something printed on stderr, where a POSIX shell prints nothing "
         "for this script.",
         ""});
  }
  CheckStrays(mine.result, &f);
  CheckReports(p, mine, &f);
  return f;
}

}  // namespace ipclab
