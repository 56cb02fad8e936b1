#include "pipeline/psh_script_kind.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/deadline.h"
#include "core/shell_quote.h"
#include "core/termination.h"
#include "core/text_diff.h"
#include "pipeline/causes.h"
#include "pipeline/psh_checks.h"
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

std::string ScriptExcerpt(const std::string& script) {
  return Preview(script, 12);
}

PshInvocation Invocation(const ProbeContext& ctx) {
  const ipclab::Params& p = ctx.test.params;
  PshInvocation inv;
  inv.script = ExpandScript(p);
  inv.script_via_stdin = p.String("script_via", "file") == "stdin";
  inv.stdin_data = p.Has("stdin_bytes") ? TestBytes(p.Int("stdin_bytes"))
                                        : p.String("stdin");
  inv.hold_stdin_until_exit_of = p.String("hold_stdin_until_exit_of");
  inv.timeout = ctx.test.timeout;
  return inv;
}

// What must equal the reference's: stdout and status unless `compare`
// says otherwise; files whenever some are named.
std::set<std::string> Compared(const Params& p) {
  std::set<std::string> compare = {"stdout", "status"};
  if (p.Has("compare")) {
    auto list = p.StringList("compare");
    compare = std::set<std::string>(list.begin(), list.end());
  }
  if (p.Has("files")) compare.insert("files");
  return compare;
}

// The reference must have run normally (and within the status rule):
// otherwise the grader is broken, and the student must not pay for that.
std::optional<Verdict> ReferenceProblem(const PshRun& ref,
                                        const StatusRule& rule,
                                        bool compare_status) {
  if (ref.result.termination == Termination::kNotStarted ||
      EndedByLimit(ref.result.termination)) {
    return Verdict::Fail(
        Outcome::kError,
        "The reference shell did not finish this test normally, so the "
        "grader cannot judge it (not your fault).",
        {{"Reference run", ref.command},
         {"Reference stderr", ref.result.err},
         {"Why it hangs", ref.hang_report}});
  }
  if (!compare_status) return std::nullopt;
  const std::string bad =
      CheckReferenceStatus(rule, ref.result.status.ShellStatus());
  if (!bad.empty()) return Verdict::Fail(Outcome::kError, bad);
  return std::nullopt;
}

// A correct shell needs about as long as the reference did just now; a
// hang costs a multiple of that, not the test's whole timeout. The timeout
// bounds the reference's run; it caps the student's deadline only where it
// is above that multiple: on a machine so loaded that the reference needed
// a large part of it, a cap would fail a correct shell for the load.
std::chrono::milliseconds StudentDeadline(const ProbeContext& ctx,
                                          const PshRun& ref) {
  const std::chrono::duration<double> ref_time(ref.result.seconds);
  const auto ceiling = std::max(
      ctx.test.timeout, std::chrono::duration_cast<std::chrono::milliseconds>(
                            ref_time * DeadlinePolicy{}.multiple));
  return DeadlineFromReference(ref_time, ceiling);
}

// Text a student can paste: short, printable, no NUL.
bool Pasteable(const std::string& text) {
  constexpr std::size_t kMaxBytes = 2048, kMaxLines = 20;
  return text.size() <= kMaxBytes &&
         std::count(text.begin(), text.end(), '\n') <= long(kMaxLines) &&
         std::none_of(text.begin(), text.end(), [](char c) {
           return c == '\0' || (static_cast<unsigned char>(c) < 0x20 &&
                                c != '\n' && c != '\t');
         });
}

// `printf '...'` that prints exactly `text`, on one line: a multi-line
// quoted string would take the report's indentation along when pasted.
std::string PrintfCommand(const std::string& text) {
  std::string format;
  for (char c : text) {
    switch (c) {
      case '\\':
        format += "\\\\";
        break;
      case '%':
        format += "%%";
        break;
      case '\n':
        format += "\\n";
        break;
      case '\t':
        format += "\\t";
        break;
      default:
        format += c;
    }
  }
  return "printf " + ShellQuote({format});
}

// Commands that run the test by hand exactly as pasted, from the directory
// the grader ran in: build psh into ipclab-try/, write the script (and its
// input) into ipclab-try/ID/, run psh there and show its status. Without a
// way to build psh, or with a script or input too long to paste, it says
// how to get them instead (--keep).
std::string ByHand(const ProbeContext& ctx, const PshInvocation& inv) {
  const bool input_file = !inv.script_via_stdin && !inv.stdin_data.empty();
  if (ctx.by_hand_program.empty()) {
    return "Build psh with the line `ipclab list " + ctx.lab.name +
           "` prints, then run the script with " + ctx.helpers.string() +
           " first on PATH.";
  }
  if (!Pasteable(inv.script) || (input_file && !Pasteable(inv.stdin_data))) {
    return "This test's " +
           std::string(Pasteable(inv.script) ? "input" : "script") +
           " is too long or not printable to paste from here: add --keep to "
           "the Rerun command; the report then says where it kept the "
           "script (student.psh) and its input (student.input).";
  }
  const std::string dir = "ipclab-try/" + ctx.test.id;
  std::string out = "From the directory you ran the grader in:\n";
  if (!ctx.by_hand_build.empty()) out += "  " + ctx.by_hand_build + "\n";
  out += "  mkdir -p " + dir + " && " + PrintfCommand(inv.script) + " > " +
         dir + "/test.psh\n";
  if (input_file) {
    out += "  " + PrintfCommand(inv.stdin_data) + " > " + dir + "/input.txt\n";
  }
  // The program as seen from ipclab-try/ID.
  std::string program = ctx.by_hand_program;
  if (program.rfind("ipclab-try/", 0) == 0) {
    program = "../" + program.substr(11);
  } else if (program.front() != '/') {
    program = "../../" + program;
  }
  out += "  (cd " + dir + " && PATH=" + ShellQuote({ctx.helpers.string()}) +
         ":$PATH " + program +
         (inv.script_via_stdin ? " < test.psh" : " test.psh") +
         (input_file ? " < input.txt" : "") + "; echo \"status $?\")";
  return out;
}

// The script, its input and how to run it by hand, after every failure.
std::vector<Section> RunContext(const ProbeContext& ctx,
                                const PshInvocation& inv) {
  const bool input_file = !inv.script_via_stdin && !inv.stdin_data.empty();
  std::vector<Section> context{{"Script", ScriptExcerpt(inv.script)}};
  if (input_file) {
    context.push_back({"Standard input", Preview(inv.stdin_data, 6)});
  }
  context.push_back({"Try it yourself", ByHand(ctx, inv)});
  return context;
}

// The known cause of a hang, from ExplainHang's list of leaked pipe ends
// (lines "  WHO still holds fd N, ..."): the shell's own leak first, since
// the commands inherit what the shell holds.
Cause HangCause(const std::string& report) {
  bool child = false;
  std::size_t start = 0;
  while (start < report.size()) {
    std::size_t end = report.find('\n', start);
    if (end == std::string::npos) end = report.size();
    const std::string_view line(report.data() + start, end - start);
    if (line.find(" still holds fd ") != std::string_view::npos) {
      if (line.rfind("  your shell ", 0) == 0) {
        return psh_causes::ParentHoldsPipeEnd();
      }
      child = true;
    }
    start = end + 1;
  }
  return child ? psh_causes::ChildExtraFds() : Cause{};
}

// A run that did not end normally: the core's standard explanation
// (JudgeTermination), then the shell's own evidence.
Verdict EndingVerdict(Verdict ending, const PshRun& mine) {
  const LaunchResult& r = mine.result;
  std::vector<Section> own;
  switch (r.termination) {
    case Termination::kProcessLimit:
      ending.summary +=
          " Does a child return into the shell's loop after a failed "
          "exec, or does the shell fork in a loop?";
      own.push_back({"Output so far", Preview(r.out)});
      break;
    case Termination::kDeadline:
      own.push_back({"Why it hangs", mine.hang_report.empty()
                                         ? "Your shell had already exited."
                                         : mine.hang_report});
      ending.cause = HangCause(mine.hang_report);
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
  own.insert(own.begin(), ending.sections.begin(), ending.sections.end());
  ending.sections = std::move(own);
  return ending;
}

// Every problem found, the first as the headline (so it is not repeated
// under "What went wrong"); its cause, if known, is the verdict's.
Verdict FindingsVerdict(const Findings& f, const LaunchResult& r) {
  std::string all;
  for (std::size_t i = 0; i < f.problems.size(); ++i) {
    const Problem& pr = f.problems[i];
    if (i > 0) all += "- " + pr.headline + "\n";
    if (!pr.detail.empty()) {
      all += pr.detail + (pr.detail.back() == '\n' ? "" : "\n");
    }
  }
  std::vector<Section> sections;
  if (!all.empty()) sections.push_back({"What went wrong", all});
  sections.insert(sections.end(), f.evidence.begin(), f.evidence.end());
  if (!r.err.empty()) sections.push_back({"Your stderr", Preview(r.err, 10)});
  Verdict v = Verdict::Fail(Outcome::kFail, f.problems.front().headline,
                            sections, f.problems.front().cause);
  // The others, unless they have the same cause (which says it already).
  for (std::size_t i = 1; i < f.problems.size(); ++i) {
    const Cause& c = f.problems[i].cause;
    if (!c.known() || c.id != v.cause.id) {
      v.also.push_back(f.problems[i].headline);
    }
  }
  return v;
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
  PshInvocation inv = Invocation(ctx);
  const std::set<std::string> compare = Compared(p);
  const StatusRule status_rule = *StatusRuleFromParams(p);

  auto ref =
      RunPsh(ctx.reference, ctx.work_dir / "reference", ctx.helpers, inv);
  if (!ref) return Verdict::Fail(Outcome::kError, ref.error().message);
  if (auto problem =
          ReferenceProblem(*ref, status_rule, compare.count("status"))) {
    return *problem;
  }
  inv.timeout = StudentDeadline(ctx, *ref);
  auto mine = RunPsh(ctx.student, ctx.work_dir / "student", ctx.helpers, inv);
  if (!mine) return Verdict::Fail(Outcome::kError, mine.error().message);

  Verdict v = Verdict::Pass();
  if (auto ending =
          JudgeTermination(mine->result, {"Your shell", ref->result.seconds})) {
    v = EndingVerdict(*ending, *mine);
  } else {
    Findings found = CheckRun(p, compare, status_rule, *mine, *ref);
    if (found.problems.empty()) return Verdict::Pass();
    v = FindingsVerdict(found, mine->result);
  }
  const auto context = RunContext(ctx, inv);
  v.sections.insert(v.sections.end(), context.begin(), context.end());
  return v;
}

}  // namespace ipclab
