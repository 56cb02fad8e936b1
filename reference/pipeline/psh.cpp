// psh: a small shell that runs pipelines (reference solution of the ipclab
// "pipeline" lab).
//
//   psh [SCRIPT]
//
// Reads command lines from SCRIPT, or from standard input, and runs each line
// to completion before reading the next. See labs/pipeline/README.md for the
// full contract; parse.hpp for the grammar of a line.
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

// Turns what waitpid() reports into the number a shell shows as $?.
int DecodeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) {
    return kStatusSignalBase + WTERMSIG(wait_status);
  }
  return kStatusFailure;  // Stopped/continued: not reported without WUNTRACED.
}

// ---------------------------------------------------------------------------
// The child side: everything between fork() and execvp().

// exec() resets signals that have a handler, but an *ignored* signal stays
// ignored and the signal mask is inherited. The shell ignores SIGPIPE, so
// without this every command would start with SIGPIPE ignored, and `yes` in
// `yes | head -n 1` would print "Broken pipe" errors instead of dying quietly.
void ResetSignalsForExec() {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    // Fails, harmlessly, for SIGKILL, SIGSTOP and the signals glibc keeps.
    sigaction(signal_number, &default_action, nullptr);
  }
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  sigprocmask(SIG_SETMASK, &empty_mask, nullptr);
}

// Makes `target` (0 or 1) refer to what `fd` refers to, then closes `fd`, so
// the command ends up with the pipe or file on 0/1 and no extra descriptor.
void MoveFd(int fd, int target) {
  if (dup2(fd, target) < 0) {
    Warn("dup2: " + ErrnoText(errno));
    _exit(kStatusFailure);
  }
  close(fd);
}

// Opens a redirection file in the child, as sh does: if it cannot be opened,
// only this command fails; the other commands of the pipeline still run.
void RedirectFile(const std::string& path, int flags, int target) {
  // 0666: the kernel clears the bits of the umask, as for any created file.
  const int fd = open(path.c_str(), flags, 0666);
  if (fd < 0) {
    Warn(path + ": " + ErrnoText(errno));
    _exit(kStatusFailure);
  }
  MoveFd(fd, target);
}

// Runs in the child: wires fds 0 and 1, then becomes the command. Never
// returns. `in_fd`/`out_fd` are pipe ends (or -1 for "keep the shell's"), and
// `next_read_fd` is the read end meant for the *next* command, which this one
// must not hold (see the SIGPIPE note in RunPipeline).
[[noreturn]] void RunChild(const psh::Pipeline& pipeline, std::size_t index,
                           int in_fd, int out_fd, int next_read_fd) {
  ResetSignalsForExec();
  if (next_read_fd >= 0) close(next_read_fd);
  if (in_fd >= 0) MoveFd(in_fd, STDIN_FILENO);
  if (out_fd >= 0) MoveFd(out_fd, STDOUT_FILENO);

  const bool is_first = index == 0;
  const bool is_last = index + 1 == pipeline.commands.size();
  if (is_first && pipeline.input_file) {
    RedirectFile(*pipeline.input_file, O_RDONLY, STDIN_FILENO);
  }
  if (is_last && pipeline.output_file) {
    RedirectFile(*pipeline.output_file, O_WRONLY | O_CREAT | O_TRUNC,
                 STDOUT_FILENO);
  }

  // execvp wants a NULL-terminated array of char*, pointing into our strings.
  const std::vector<std::string>& args = pipeline.commands[index].argv;
  std::vector<char*> c_args;
  for (const std::string& arg : args) {
    c_args.push_back(const_cast<char*>(arg.c_str()));
  }
  c_args.push_back(nullptr);
  execvp(c_args[0], c_args.data());

  // Only reached if exec failed. _exit, never exit() or return: this process
  // is a copy of the shell, and returning would run the rest of the script a
  // second time, while exit() would flush the shell's stdio buffers again.
  const int error = errno;
  if (error == ENOENT || error == ENOTDIR) {
    Warn(args[0] + ": command not found");
    _exit(kStatusNotFound);
  }
  Warn(args[0] + ": " + ErrnoText(error));
  _exit(kStatusNotExecutable);
}

// ---------------------------------------------------------------------------
// The shell side.

// Waits for `pid`, retrying if a signal interrupts the wait. Returns the
// decoded status.
int WaitFor(pid_t pid) {
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0) {
    if (errno != EINTR) {
      Warn("waitpid: " + ErrnoText(errno));
      return kStatusFailure;
    }
  }
  return DecodeWaitStatus(wait_status);
}

// Runs every command of `pipeline` at once, connected by pipes, and waits for
// all of them. Returns the status of the line: that of the last command.
//
// Pipe i (command i -> command i+1) is created just before fork i, and the
// shell closes each end as soon as it has been handed to a child. The shell
// thus never holds more than three pipe fds, so a 64-command pipeline works
// even under a small RLIMIT_NOFILE. Closing early is also what makes
// pipelines end:
//   * EOF: a reader sees end-of-file only when *every* write end of its pipe
//     is closed. A write end left open in the shell (or in any child) makes
//     `cat | wc` wait forever.
//   * SIGPIPE: a writer is stopped by SIGPIPE only when *every* read end is
//     closed. A read end left open anywhere makes `yes | head -n 1` run
//     forever after head has exited.
int RunPipeline(const psh::Pipeline& pipeline) {
  const std::size_t count = pipeline.commands.size();
  std::vector<pid_t> pids;
  pids.reserve(count);
  int prev_read_fd = -1;  // Read end of the pipe from the previous command.
  bool started_all = true;

  for (std::size_t i = 0; i < count; ++i) {
    const bool is_last = i + 1 == count;
    int pipe_fds[2] = {-1, -1};  // [0] read end, [1] write end.
    // O_CLOEXEC: a safety net so that no end can leak into a command even if
    // a close() were missed; dup2() clears the flag on the copies on 0 and 1.
    if (!is_last && pipe2(pipe_fds, O_CLOEXEC) < 0) {
      Warn("pipe: " + ErrnoText(errno));
      started_all = false;
      break;
    }
    const pid_t pid = fork();
    if (pid < 0) {
      Warn("fork: " + ErrnoText(errno));
      if (!is_last) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
      }
      started_all = false;
      break;
    }
    if (pid == 0) RunChild(pipeline, i, prev_read_fd, pipe_fds[1], pipe_fds[0]);

    pids.push_back(pid);
    // Command i now holds its own copies; the shell's must go right away.
    if (prev_read_fd >= 0) close(prev_read_fd);
    if (!is_last) close(pipe_fds[1]);
    prev_read_fd = pipe_fds[0];  // -1 after the last command.
  }
  // Only after a failure: closing it lets the commands already started see
  // SIGPIPE/EOF and finish, so the waits below cannot hang.
  if (prev_read_fd >= 0) close(prev_read_fd);

  // Wait for every command, not just the last: each one that exits stays a
  // zombie until its parent collects it.
  int status = kStatusFailure;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    const int command_status = WaitFor(pids[i]);
    if (started_all && i + 1 == count) status = command_status;
  }
  return status;
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
