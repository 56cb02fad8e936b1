// psh: a small shell that runs pipelines. Your starting point for the ipclab
// "pipeline" lab; the handout is labs/pipeline/README.md (or README.md here).
//
//   psh [SCRIPT]
//
// What is already done for you: reading the script line by line, the parser
// (parse.hpp/parse.cpp), syntax errors, and the builtins `cd` and `exit`.
// What you write: running a pipeline. Look for the TODO(student) blocks; they
// are in the order you will probably want to write them:
//   1. RunPipeline:        pipe(), fork(), close(), waitpid() in the shell.
//   2. RunChild:           dup2(), redirections and execvp() in each child.
//   3. ResetSignalsForExec and DecodeWaitStatus: the details the grader checks.
// As shipped, every pipeline prints "not implemented yet" and has status 1.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "parse.hpp"

namespace {

// Exit statuses that POSIX sh uses, so scripts see the same numbers here.
constexpr int kStatusFailure = 1;  // A builtin or a redirection failed.
constexpr int kStatusUsage = 2;    // Syntax error or bad `exit N`.
constexpr int kStatusNotExecutable = 126;
constexpr int kStatusNotFound = 127;
constexpr int kStatusSignalBase = 128;  // 128 + N: killed by signal N.

void Warn(const std::string& message) {
  // stderr is unbuffered, so this is safe to call in a child after fork().
  std::fprintf(stderr, "psh: %s\n", message.c_str());
}

std::string ErrnoText(int error) { return std::strerror(error); }

// [[maybe_unused]] below only keeps the compiler quiet while a function is
// still a stub that nothing calls. Remove it once your code uses the function.

// Turns what waitpid() reports into the number a shell shows as $?.
[[maybe_unused]] int DecodeWaitStatus([[maybe_unused]] int wait_status) {
  // TODO(student): decode `wait_status` with the macros from <sys/wait.h>.
  //   - WIFEXITED(s): the command called exit(N) -> the status is
  //     WEXITSTATUS(s), i.e. N.
  //   - WIFSIGNALED(s): a signal killed it -> the status is
  //     kStatusSignalBase + WTERMSIG(s), e.g. 128 + 15 = 143 for SIGTERM.
  //     Do not use WEXITSTATUS here: for a killed process it is meaningless
  //     (usually 0), and the grader kills commands on purpose to check this.
  return kStatusFailure;
}

// ---------------------------------------------------------------------------
// The child side: everything between fork() and execvp().

// Called in the child, before exec, so the command starts with default
// signal dispositions and an empty signal mask.
[[maybe_unused]] void ResetSignalsForExec() {
  // TODO(student): why is this needed at all? exec() resets signals that have
  // a handler, but a signal the shell *ignores* stays ignored in the command,
  // and the signal mask is inherited as it is. main() ignores SIGPIPE, so
  // without this `yes | head -n 1` makes yes print "Broken pipe" errors
  // instead of being stopped quietly by SIGPIPE.
  //   - For every signal number from 1 to NSIG - 1, set the disposition to
  //     SIG_DFL with sigaction() (or signal()). It fails for SIGKILL and
  //     SIGSTOP; that is fine, ignore those errors.
  //   - Then empty the mask: sigemptyset() a sigset_t and pass it to
  //     sigprocmask(SIG_SETMASK, ...).
}

// Runs in the child created for pipeline.commands[index]: wires fds 0 and 1,
// then becomes the command with execvp(). Never returns.
//   in_fd:        read end of the pipe from the previous command, or -1 for
//                 "keep the shell's stdin" (the first command).
//   out_fd:       write end of the pipe to the next command, or -1 for "keep
//                 the shell's stdout" (the last command).
//   next_read_fd: read end of that same pipe, meant for the *next* command;
//                 this child must close it (-1 for the last command).
[[maybe_unused]] [[noreturn]] void RunChild(
    [[maybe_unused]] const psh::Pipeline& pipeline,
    [[maybe_unused]] std::size_t index, [[maybe_unused]] int in_fd,
    [[maybe_unused]] int out_fd, [[maybe_unused]] int next_read_fd) {
  // TODO(student): in this order:
  //   1. ResetSignalsForExec().
  //   2. close(next_read_fd) if it is not -1. If this command kept the read
  //      end of its own output pipe, it could never get SIGPIPE: a pipe only
  //      "breaks" once *every* read end is closed.
  //   3. If in_fd is not -1: dup2(in_fd, STDIN_FILENO), then close(in_fd).
  //      Same for out_fd onto STDOUT_FILENO. dup2 makes a copy; the original
  //      must be closed, or the command starts with an extra fd open.
  //   4. Redirections: if index == 0 and pipeline.input_file is set, open it
  //      with O_RDONLY and move it onto fd 0 the same way. If this is the
  //      last command and pipeline.output_file is set, open it with
  //      O_WRONLY | O_CREAT | O_TRUNC and mode 0666 (the kernel applies the
  //      umask), and move it onto fd 1. If open() fails: Warn() with the file
  //      name and strerror(errno), then _exit(kStatusFailure). Doing this in
  //      the child means only this command fails; the others still run.
  //   5. execvp() wants a char* array ending in nullptr: build a
  //      std::vector<char*> from pipeline.commands[index].argv (use
  //      const_cast<char*>(arg.c_str())), push_back(nullptr), and call
  //      execvp(args[0], args.data()).
  //   6. Reaching the next line means exec failed. Warn() and _exit():
  //      errno ENOENT (or ENOTDIR) -> "NAME: command not found" and
  //      kStatusNotFound (127); anything else (e.g. EACCES, a file that is
  //      not executable) -> strerror(errno) and kStatusNotExecutable (126).
  //      Always _exit, never exit() or return: this process is a copy of the
  //      shell, so returning would run the rest of the script a second time,
  //      and exit() would flush the shell's stdio buffers a second time.
  _exit(kStatusNotExecutable);
}

// ---------------------------------------------------------------------------
// The shell side.

// Runs every command of `pipeline` at once, connected by pipes, and waits for
// all of them. Returns the status of the line: that of the last command.
int RunPipeline(const psh::Pipeline& pipeline) {
  // TODO(student): delete this message and the `return` below it, then
  // write the loop described after them.
  const std::string commands = std::to_string(pipeline.commands.size());
  Warn("not implemented yet: this line has " + commands +
       " command(s) to run; write RunPipeline (see TODO(student) in psh.cpp)");
  return kStatusFailure;

  // TODO(student): the plan, for commands 0 .. N-1:
  //
  //   int prev_read_fd = -1;  // read end of the pipe from the previous command
  //   for each command i:
  //     a. If i is not the last command, create pipe i with
  //        pipe2(fds, O_CLOEXEC): fds[0] is the read end, fds[1] the write
  //        end. Create it here, just before fork i, not all pipes up front:
  //        the shell then holds at most three pipe fds at a time, and a
  //        64-command pipeline works even with a small fd limit.
  //        (O_CLOEXEC is a safety net: an end you forgot to close vanishes
  //        at exec. dup2() clears the flag on the copies on 0 and 1.)
  //     b. pid_t pid = fork(). If it returns -1: Warn(), close the pipe you
  //        just made, stop starting commands, but still do d. and e.
  //     c. In the child (pid == 0):
  //        RunChild(pipeline, i, prev_read_fd, fds[1], fds[0]) (use -1 for
  //        the pipe ends when i is the last command).
  //     d. In the shell: remember pid in a std::vector<pid_t>. Then close
  //        prev_read_fd and fds[1] *right away*, since the child has its own
  //        copies now, and keep fds[0] as prev_read_fd for command i+1.
  //   e. After the loop, waitpid() for every pid you started, in order. If
  //      waitpid returns -1 with errno == EINTR, call it again. The status
  //      of the line is DecodeWaitStatus() of the *last* command.
  //
  // Why closing matters so much:
  //   * EOF: a reader sees end-of-file only when *every* write end of its
  //     pipe is closed, in every process. One write end left open in the
  //     shell, and `cat | wc` never ends.
  //   * SIGPIPE: a writer is stopped only when *every* read end is closed.
  //     One read end left open anywhere, and `yes | head -n 1` runs forever.
  //   * Hygiene: each command must start with only fds 0, 1 and 2 open.
  // Why wait for every pid, not just the last: a child that has exited stays
  // a zombie until its parent collects it with waitpid().
}

// `cd DIR`. Returns the status of the line.
int ChangeDirectory(const std::vector<std::string>& argv) {
  if (argv.size() > 2) {
    Warn("cd: too many arguments (give exactly one directory)");
    return kStatusFailure;
  }
  const char* target = argv.size() == 2 ? argv[1].c_str() : getenv("HOME");
  if (target == nullptr) {
    Warn("cd: no directory given and HOME is not set");
    return kStatusFailure;
  }
  char old_dir[PATH_MAX];
  const bool know_old_dir = getcwd(old_dir, sizeof old_dir) != nullptr;
  if (chdir(target) < 0) {
    Warn(std::string("cd: ") + target + ": " + ErrnoText(errno));
    return kStatusFailure;
  }
  // sh keeps PWD and OLDPWD up to date for the commands it runs; so do we.
  char new_dir[PATH_MAX];
  if (know_old_dir) setenv("OLDPWD", old_dir, 1);
  if (getcwd(new_dir, sizeof new_dir) != nullptr) setenv("PWD", new_dir, 1);
  return 0;
}

// `exit [N]`: the status the shell should exit with. Like sh, a bad number
// is an error that still ends the shell, with status 2.
int ExitStatus(const std::vector<std::string>& argv, int last_status) {
  if (argv.size() < 2) return last_status;
  const std::string& text = argv[1];
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      Warn("exit: \"" + text + "\" is not a number");
      return kStatusUsage;
    }
    value = (value * 10 + (c - '0')) % 256;  // Exit statuses are 8 bits.
  }
  return value;
}

// Reads one line, without its '\n', into *line. Returns false at end of
// input. A last line without a final '\n' still counts as a line.
bool ReadLine(std::FILE* in, std::string* line) {
  line->clear();
  int c;
  while ((c = std::getc(in)) != EOF) {
    if (c == '\n') return true;
    line->push_back(static_cast<char>(c));
  }
  return !line->empty();
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: psh [SCRIPT]\n");
    return kStatusUsage;
  }
  // The shell itself must survive writing to a closed pipe (e.g. its stderr):
  // a failed write is an error to report, not a reason to die. Commands get
  // SIGPIPE back at default in ResetSignalsForExec().
  signal(SIGPIPE, SIG_IGN);

  std::FILE* script = stdin;
  const std::string script_name = argc == 2 ? argv[1] : "stdin";
  if (argc == 2) {
    // O_CLOEXEC: the script is the shell's own file; without it, every
    // command would inherit it as an extra open descriptor (fd 3).
    const int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0 || (script = fdopen(fd, "r")) == nullptr) {
      Warn(script_name + ": " + ErrnoText(errno));
      return kStatusNotFound;  // What sh uses for a script it cannot open.
    }
  }
  const bool interactive = argc == 1 && isatty(STDIN_FILENO);
  if (interactive) {
    // Ctrl-C at a prompt should stop the running command, not the shell.
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
  }

  int last_status = 0;
  long line_number = 0;
  std::string line;
  while (true) {
    if (interactive) std::fputs("psh$ ", stderr);
    if (!ReadLine(script, &line)) break;
    ++line_number;

    const psh::ParseResult parsed = psh::ParseLine(line);
    if (parsed.kind == psh::ParseResult::Kind::kNothing) continue;
    if (parsed.kind == psh::ParseResult::Kind::kSyntaxError) {
      Warn(script_name + ":" + std::to_string(line_number) +
           ": syntax error: " + parsed.error);
      return kStatusUsage;
    }

    const psh::Pipeline& pipeline = parsed.pipeline;
    const std::vector<std::string>& first_argv = pipeline.commands[0].argv;
    // Builtins change the shell itself, so they cannot run in a child. They
    // appear alone on a line; anything else goes to PATH like other commands.
    const bool alone = pipeline.commands.size() == 1 && !pipeline.input_file &&
                       !pipeline.output_file;
    if (alone && first_argv[0] == "exit") {
      return ExitStatus(first_argv, last_status);
    }
    if (alone && first_argv[0] == "cd") {
      last_status = ChangeDirectory(first_argv);
      continue;
    }
    last_status = RunPipeline(pipeline);
  }
  if (interactive) std::fputs("\n", stderr);
  return last_status;
}
