// ipclab-die SIGNAL
//
// Ends itself by SIGNAL (a number, or a name such as TERM or SIGTERM), so a
// grader can check how a student's shell reports a command killed by a
// signal. Whatever the shell left ignored or blocked is undone first.
// Exits 125 if it somehow survives, 2 on a usage error.

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>

namespace {

constexpr char kPrefix[] = "ipclab-die: ";

void Complain(const std::string& message) {
  std::string line = kPrefix + message + "\n";
  // Best effort: there is nobody to tell if stderr itself is broken.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

struct SignalName {
  const char* name;
  int number;
};

constexpr SignalName kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT},
    {"ILL", SIGILL},   {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},
    {"IOT", SIGIOT},   {"BUS", SIGBUS},       {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},
    {"CONT", SIGCONT}, {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF}, {"WINCH", SIGWINCH},   {"IO", SIGIO},
    {"POLL", SIGPOLL}, {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

// Accepts "15", "TERM", "SIGTERM" (names in any case).
int ParseSignal(const char* text) {
  if (*text >= '0' && *text <= '9') {
    char* end = nullptr;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || n < 1 || n > SIGRTMAX) return -1;
    return static_cast<int>(n);
  }
  if (strncasecmp(text, "SIG", 3) == 0) text += 3;
  for (const SignalName& s : kSignals) {
    if (strcasecmp(text, s.name) == 0) return s.number;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  int sig = argc == 2 ? ParseSignal(argv[1]) : -1;
  if (sig < 0) {
    Complain("usage: ipclab-die SIGNAL (a number, or a name like TERM)");
    return 2;
  }
  // Signals such as SEGV and ABRT would otherwise leave a core file in the
  // student's directory. Not being dumpable also stops core_pattern pipes.
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  // KILL and STOP cannot be changed; sigaction just fails for them.
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  sigaction(sig, &action, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  raise(sig);

  Complain("still alive after raising signal " + std::to_string(sig) + " (" +
           strsignal(sig) +
           "); by default this signal does not end a program.");
  return 125;
}
