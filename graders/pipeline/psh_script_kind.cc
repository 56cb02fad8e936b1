#include "pipeline/psh_script_kind.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/deadline.h"
#include "core/termination.h"
#include "core/text_diff.h"
#include "pipeline/fd_report.h"
#include "pipeline/psh_run.h"
#include "pipeline/status_rule.h"

namespace ipclab {
namespace {

const std::set<std::string> kCompare = {"stdout", "status", "files"};
const std::set<std::string> kReportChecks = {"fds", "signals", "siblings",
                                             "growth"};

std::string ReplaceAll(std::string s, const std::string& from,
                       const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos;
       at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// `repeat: N` writes the script N times, ${I} counting 1..N.
std::string ExpandScript(const Params& p) {
  const std::string body = p.String("script");
  const std::int64_t times = p.Int("repeat", 0);
  if (times <= 0) return body;
  std::string out;
  for (std::int64_t i = 1; i <= times; ++i) {
    out += ReplaceAll(body, "${I}", std::to_string(i));
  }
  return out;
}

std::string ReadFile(const std::filesystem::path& path, bool* exists) {
  std::ifstream in(path, std::ios::binary);
  *exists = bool(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string ScriptExcerpt(const std::string& script) {
  return Preview(script, 12);
}

std::string Octal(unsigned mode) {
  char text[16];
  std::snprintf(text, sizeof text, "%04o", mode);
  return text;
}

// The permission bits of `path`, or -1 if it cannot be read.
int FileMode(const std::filesystem::path& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return -1;
  return int(st.st_mode & 07777);
}

// Empty when the student's file has the reference's mode. A file made by
// `>` is created with 0666 less the umask; the message names that rule when
// the reference's file shows it (a file made by a command may differ).
std::string CheckFileMode(const std::string& file, int mine, int ref) {
  if (mine < 0 || ref < 0 || mine == ref) return {};
  const unsigned created = 0666 & ~unsigned(kPshUmask);
  std::string text = "The file '" + file + "' has mode " + Octal(mine) +
                     ", where the reference's has " + Octal(ref) + ".";
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

}  // namespace

std::string_view PshScriptKind::Description() const {
  return "Run a script through your shell and the reference; compare stdout, "
         "status and files; check fds, signals and reaping.";
}

std::vector<ParamSpec> PshScriptKind::Params() const {
  return {
      {"script", ParamType::kString, true, "the lines the shell runs"},
      {"repeat", ParamType::kInt, false,
       "repeat the script N times, ${I} counting from 1"},
      {"stdin", ParamType::kString, false, "text on the shell's stdin"},
      {"stdin_bytes", ParamType::kInt, false,
       "this many bytes of binary test data on the shell's stdin"},
      {"script_via", ParamType::kString, false,
       "'file' (psh SCRIPT, default) or 'stdin' (psh < SCRIPT)"},
      {"hold_stdin_until_exit_of", ParamType::kString, false,
       "keep stdin open until this stage has ended (ipclab-exit only)"},
      {"status_range", ParamType::kStringList, false,
       "[LOW, HIGH]: any status in this range passes (where POSIX allows a "
       "range); needs status_rule"},
      {"status_rule", ParamType::kString, false,
       "the status rule and its source (POSIX section or the lab's "
       "contract), quoted in the message"},
      {"compare", ParamType::kStringList, false,
       "what must equal the reference: stdout, status, files"},
      {"files", ParamType::kStringList, false,
       "files (in the run directory) to compare with the reference"},
      {"stderr_empty", ParamType::kBool, false,
       "your shell's run must print nothing on stderr"},
      {"reports", ParamType::kStringList, false,
       "checks on ipclab-fds reports: fds, signals, siblings, growth"},
      {"min_reports", ParamType::kInt, false,
       "at least this many ipclab-fds reports must be written"},
  };
}

Status PshScriptKind::Validate(const TestSpec& test) const {
  const auto& p = test.params;
  std::string via = p.String("script_via", "file");
  if (via != "file" && via != "stdin") {
    return Error{"'script_via' must be 'file' or 'stdin', not '" + via + "'"};
  }
  if (via == "stdin" && (p.Has("stdin") || p.Has("stdin_bytes"))) {
    return Error{
        "with script_via: stdin the script is the input; drop "
        "'stdin' and 'stdin_bytes'"};
  }
  if (p.Has("stdin") && p.Has("stdin_bytes")) {
    return Error{"give 'stdin' or 'stdin_bytes', not both"};
  }
  if (p.Has("hold_stdin_until_exit_of") &&
      p.String("hold_stdin_until_exit_of") != "ipclab-exit") {
    return Error{
        "'hold_stdin_until_exit_of' works with ipclab-exit only "
        "(it marks that it ran)"};
  }
  for (const auto& c : p.StringList("compare")) {
    if (!kCompare.count(c)) return Error{"unknown 'compare' item '" + c + "'"};
  }
  for (const auto& c : p.StringList("reports")) {
    if (!kReportChecks.count(c)) {
      return Error{"unknown 'reports' check '" + c + "'"};
    }
  }
  if (auto rule = StatusRuleFromParams(p); !rule) return rule.error();
  return {};
}

Verdict PshScriptKind::Run(const ProbeContext& ctx) const {
  const ipclab::Params& p = ctx.test.params;
  PshInvocation inv;
  inv.script = ExpandScript(p);
  inv.script_via_stdin = p.String("script_via", "file") == "stdin";
  inv.stdin_data = p.Has("stdin_bytes") ? TestBytes(p.Int("stdin_bytes"))
                                        : p.String("stdin");
  inv.hold_stdin_until_exit_of = p.String("hold_stdin_until_exit_of");
  inv.timeout = ctx.test.timeout;

  std::set<std::string> compare = {"stdout", "status"};
  if (p.Has("compare")) {
    auto list = p.StringList("compare");
    compare = std::set<std::string>(list.begin(), list.end());
  }
  if (p.Has("files")) compare.insert("files");

  // The reference first: if it misbehaves, the grader is broken, and the
  // student must not pay for that.
  auto ref =
      RunPsh(ctx.reference, ctx.work_dir / "reference", ctx.helpers, inv);
  if (!ref) return Verdict::Fail(Outcome::kError, ref.error().message);
  if (ref->result.termination == Termination::kNotStarted ||
      EndedByLimit(ref->result.termination)) {
    return Verdict::Fail(
        Outcome::kError,
        "The reference shell did not finish this test normally, so the "
        "grader cannot judge it (not your fault).",
        {{"Reference run", ref->command},
         {"Reference stderr", ref->result.err},
         {"Why it hangs", ref->hang_report}});
  }
  const StatusRule status_rule = *StatusRuleFromParams(p);
  if (compare.count("status")) {
    const std::string bad =
        CheckReferenceStatus(status_rule, ref->result.status.ShellStatus());
    if (!bad.empty()) return Verdict::Fail(Outcome::kError, bad);
  }
  // A correct shell needs about as long as the reference did just now; a
  // hang costs a multiple of that, not the test's whole timeout. The timeout
  // bounds the reference's run; it caps the student's deadline only where it
  // is above that multiple: on a machine so loaded that the reference needed
  // a large part of it, a cap would fail a correct shell for the load.
  const std::chrono::duration<double> ref_time(ref->result.seconds);
  const auto ceiling = std::max(
      ctx.test.timeout, std::chrono::duration_cast<std::chrono::milliseconds>(
                            ref_time * DeadlinePolicy{}.multiple));
  inv.timeout = DeadlineFromReference(ref_time, ceiling);
  auto mine = RunPsh(ctx.student, ctx.work_dir / "student", ctx.helpers, inv);
  if (!mine) return Verdict::Fail(Outcome::kError, mine.error().message);
  const LaunchResult& r = mine->result;

  // How a student reproduces this by hand, without the grader.
  std::string by_hand = "Save the script as test.psh";
  if (!inv.script_via_stdin && !inv.stdin_data.empty()) {
    by_hand += " and the input as input.txt";
  }
  by_hand +=
      ", then, in an empty directory:\n  PATH=" + ctx.helpers.string() +
      ":$PATH ./psh " +
      (inv.script_via_stdin ? std::string("< test.psh")
                            : std::string("test.psh")) +
      (!inv.script_via_stdin && !inv.stdin_data.empty() ? " < input.txt" : "");
  std::vector<Section> context;
  context.push_back({"Script", ScriptExcerpt(inv.script)});
  if (!inv.script_via_stdin && !inv.stdin_data.empty()) {
    context.push_back({"Standard input", Preview(inv.stdin_data, 6)});
  }
  auto with_context = [&](std::vector<Section> first) {
    first.insert(first.end(), context.begin(), context.end());
    first.push_back({"Try it yourself", by_hand});
    return first;
  };

  // How the run ended is judged in core (JudgeTermination); the shell's
  // own evidence follows the standard explanation.
  if (auto ending = JudgeTermination(r, {"Your shell", ref->result.seconds})) {
    std::vector<Section> own;
    switch (r.termination) {
      case Termination::kProcessLimit:
        ending->summary +=
            " Does a child return into the shell's loop after a failed "
            "exec, or does the shell fork in a loop?";
        own.push_back({"Output so far", Preview(r.out)});
        break;
      case Termination::kDeadline:
        own.push_back({"Why it hangs", mine->hang_report.empty()
                                           ? "Your shell had already exited."
                                           : mine->hang_report});
        own.push_back({"Output so far", Preview(r.out)});
        break;
      case Termination::kOutputLimit:
        own.push_back({"Output (start)", Preview(r.out)});
        break;
      case Termination::kSignalled:
        own.push_back({"Your stderr", Preview(r.err)});
        break;
      default:
        break;
    }
    own.insert(own.begin(), ending->sections.begin(), ending->sections.end());
    ending->sections = with_context(std::move(own));
    return *ending;
  }

  std::vector<Problem> problems;
  std::vector<Section> evidence;
  if (compare.count("status")) {
    std::string bad = JudgeStatus(status_rule, r.status.ShellStatus(),
                                  ref->result.status.ShellStatus());
    if (!bad.empty()) problems.push_back({bad, ""});
  }
  if (compare.count("stdout") && r.out != ref->result.out) {
    problems.push_back({"Standard output differs from a POSIX shell's.", ""});
    evidence.push_back(
        {"Stdout difference", DescribeDifference(ref->result.out, r.out)});
  }
  for (const auto& file : p.StringList("files")) {
    bool mine_exists = false, ref_exists = false;
    std::string a = ReadFile(mine->dir / file, &mine_exists);
    std::string b = ReadFile(ref->dir / file, &ref_exists);
    if (mine_exists != ref_exists) {
      problems.push_back({"The file '" + file + "' should " +
                              (ref_exists ? "exist" : "not exist") +
                              " after the script, but it " +
                              (mine_exists ? "does." : "does not."),
                          ""});
    } else if (a != b) {
      problems.push_back(
          {"The file '" + file + "' has the wrong contents.", ""});
      evidence.push_back({"Difference in " + file, DescribeDifference(b, a)});
    }
    const std::string mode = CheckFileMode(file, FileMode(mine->dir / file),
                                           FileMode(ref->dir / file));
    if (!mode.empty()) problems.push_back({mode, ""});
  }
  if (p.Bool("stderr_empty") && !r.err.empty()) {
    problems.push_back(
        {"Something printed on stderr, where a POSIX shell prints nothing "
         "for this script.",
         ""});
  }
  if (!r.strays.empty()) {
    std::string list;
    for (const auto& s : r.strays) {
      list += "  pid " + std::to_string(s.pid) + " `" + s.comm + "`" +
              (s.state == 'Z' ? ": finished, never waited for"
                              : ": still running") +
              (s.cmdline.empty() ? "" : " (" + s.cmdline + ")") + "\n";
    }
    problems.push_back(
        {"When your shell exited, commands it started were left behind.",
         list + "Wait (waitpid) for every command of every pipeline."});
  }

  const auto reports = ReadFdReports(mine->dir);
  if (p.Has("min_reports") &&
      std::int64_t(reports.size()) < p.Int("min_reports")) {
    problems.push_back({"Only " + std::to_string(reports.size()) + " of " +
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
    problems.push_back(std::move(problem));
  }

  if (problems.empty()) return Verdict::Pass();
  std::string all;
  for (const auto& pr : problems) {
    all += "- " + pr.headline + "\n";
    if (!pr.detail.empty())
      all += pr.detail + (pr.detail.back() == '\n' ? "" : "\n");
  }
  std::vector<Section> sections{{"What went wrong", all}};
  sections.insert(sections.end(), evidence.begin(), evidence.end());
  if (!r.err.empty()) sections.push_back({"Your stderr", Preview(r.err, 10)});
  return Verdict::Fail(Outcome::kFail, problems.front().headline,
                       with_context(sections));
}

}  // namespace ipclab
