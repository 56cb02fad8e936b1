// psh: a small shell that runs pipelines. ipclab "pipeline" lab.
//
//   psh [SCRIPT]
//
// Started from the skeleton. RunPipeline/RunChild are mine, main() is
// rewritten a bit (simpler file handling).
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

void Warn(const std::string& message) {
  // stderr is unbuffered, so this is safe to call in a child after fork().
  std::fprintf(stderr, "psh: %s\n", message.c_str());
}

std::string ErrnoText(int error) { return std::strerror(error); }

// Turns what waitpid() reports into the number a shell shows as $?.
int DecodeWaitStatus(int wait_status) {
  // the exit code the command gave to exit()
  return WEXITSTATUS(wait_status);
}

// ---------------------------------------------------------------------------
// child side

void ResetSignalsForExec() {
  // shell ignores SIGPIPE, exec keeps ignored signals -> put all back to
  // default (SIGKILL/SIGSTOP fail, doesn't matter)
  for (int sig = 1; sig < NSIG; sig++) {
    signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

// put fd on target (0 or 1) and close the original
void MoveTo(int fd, int target) {
  if (dup2(fd, target) == -1) {
    perror("psh: dup2");
    _exit(1);
  }
  close(fd);
}

[[noreturn]] void RunChild(const psh::Pipeline& pipeline, std::size_t index,
                           int in_fd, int out_fd, int next_read_fd) {
  ResetSignalsForExec();
  // the read end of our own output pipe belongs to the next command. if we
  // keep it, we never get SIGPIPE (yes | head -n 1 hangs)
  if (next_read_fd != -1) close(next_read_fd);
  if (in_fd != -1) MoveTo(in_fd, 0);
  if (out_fd != -1) MoveTo(out_fd, 1);

  if (index == 0 && pipeline.input_file) {
    int fd = open(pipeline.input_file->c_str(), O_RDONLY);
    if (fd == -1) {
      Warn(*pipeline.input_file + ": " + ErrnoText(errno));
      _exit(kStatusFailure);
    }
    MoveTo(fd, 0);
  }
  if (index == pipeline.commands.size() - 1 && pipeline.output_file) {
    int fd =
        open(pipeline.output_file->c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd == -1) {
      Warn(*pipeline.output_file + ": " + ErrnoText(errno));
      _exit(kStatusFailure);
    }
    MoveTo(fd, 1);
  }

  const std::vector<std::string>& argv = pipeline.commands[index].argv;
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());

  // exec failed. _exit and NOT exit (otherwise the child keeps running the
  // script too)
  if (errno == ENOENT || errno == ENOTDIR) {
    Warn(argv[0] + ": command not found");
    _exit(kStatusNotFound);
  }
  Warn(argv[0] + ": " + ErrnoText(errno));
  _exit(kStatusNotExecutable);
}

// ---------------------------------------------------------------------------
// shell side

int RunPipeline(const psh::Pipeline& pipeline) {
  const std::size_t n = pipeline.commands.size();
  std::vector<pid_t> pids;
  int prev_read = -1;
  bool fork_failed = false;

  for (std::size_t i = 0; i < n; i++) {
    int fds[2] = {-1, -1};
    bool last = (i == n - 1);
    if (!last) {
      if (pipe(fds) == -1) {
        perror("psh: pipe");
        fork_failed = true;
        break;
      }
    }
    pid_t pid = fork();
    if (pid == -1) {
      perror("psh: fork");
      if (!last) {
        close(fds[0]);
        close(fds[1]);
      }
      fork_failed = true;
      break;
    }
    if (pid == 0) {
      RunChild(pipeline, i, prev_read, fds[1], fds[0]);
    }
    pids.push_back(pid);
    // the child has its own copies now. close ours or the reader never gets
    // EOF (cat | wc hung forever before I added this)
    if (prev_read != -1) close(prev_read);
    if (!last) close(fds[1]);
    prev_read = fds[0];
  }
  if (prev_read != -1) close(prev_read);  // only if we broke out early

  int status = kStatusFailure;
  for (std::size_t i = 0; i < pids.size(); i++) {
    int wstatus = 0;
    while (waitpid(pids[i], &wstatus, 0) == -1) {
      if (errno != EINTR) break;
    }
    if (!fork_failed && i == n - 1) status = DecodeWaitStatus(wstatus);
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
  signal(SIGPIPE, SIG_IGN);  // the shell itself must not die of SIGPIPE

  // read from the file if there is one, else stdin
  FILE* in = stdin;
  std::string name = "stdin";
  if (argc == 2) {
    name = argv[1];
    in = fopen(argv[1], "r");
    if (in == nullptr) {
      Warn(name + ": " + ErrnoText(errno));
      return kStatusNotFound;
    }
  }
  bool interactive = (argc == 1 && isatty(0));

  int last_status = 0;
  int lineno = 0;
  std::string line;
  while (true) {
    if (interactive) fprintf(stderr, "psh$ ");
    if (!ReadLine(in, &line)) break;
    lineno++;

    psh::ParseResult parsed = psh::ParseLine(line);
    if (parsed.kind == psh::ParseResult::Kind::kNothing) continue;
    if (parsed.kind == psh::ParseResult::Kind::kSyntaxError) {
      Warn(name + ":" + std::to_string(lineno) +
           ": syntax error: " + parsed.error);
      return kStatusUsage;
    }

    const psh::Pipeline& p = parsed.pipeline;
    const std::vector<std::string>& args = p.commands[0].argv;
    int status = 0;
    // builtins (only when alone on the line)
    if (p.commands.size() == 1 && !p.input_file && !p.output_file) {
      if (args[0] == "exit") {
        return ExitStatus(args, status);
      }
      if (args[0] == "cd") {
        last_status = ChangeDirectory(args);
        continue;
      }
    }
    status = RunPipeline(p);
    last_status = status;
    // fprintf(stderr, "[debug] line %d -> %d\n", lineno, status);
  }
  return last_status;
}
