#include "core/launch_setup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ipclab {

std::string FindInPath(const std::string& name,
                       const std::vector<std::string>& env) {
  std::string path_var = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& kv : env) {
    if (kv.rfind("PATH=", 0) == 0) path_var = kv.substr(5);
  }
  std::stringstream dirs(path_var);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      struct stat st;
      if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        return candidate;
      }
    }
  }
  return {};
}

std::vector<std::string> InitArgs(const LaunchSpec& spec,
                                  const std::string& status_path,
                                  const std::string& exe) {
  std::vector<std::string> args = {"--status", status_path};
  args.insert(args.end(), {"--nofile", std::to_string(spec.limits.open_files)});
  args.insert(args.end(), {"--fsize", std::to_string(spec.limits.file_size)});
  if (spec.limits.processes != 0) {
    args.insert(args.end(),
                {"--max-procs", std::to_string(spec.limits.processes)});
  }
  if (spec.limits.address_space != 0) {
    args.insert(args.end(),
                {"--as", std::to_string(spec.limits.address_space)});
  }
  if (!spec.private_network.empty()) {
    args.insert(args.end(), {"--private-net", spec.private_network});
  }
  args.push_back("--");
  args.push_back(exe);
  args.insert(args.end(), spec.argv.begin() + 1, spec.argv.end());
  return args;
}

Result<StdinSource> OpenStdin(const LaunchSpec& spec) {
  StdinSource source;
  if (!spec.stdin_file.empty()) {
    source.child = ::open(spec.stdin_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (source.child < 0) {
      return Error{ErrnoMessage("open " + spec.stdin_file.string(), errno)};
    }
  } else if (spec.stdin_bytes || spec.driver) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{ErrnoMessage("pipe", errno)};
    source.child = fds[0];
    source.feed = fds[1];
  } else {
    source.child = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  return source;
}

void ParseStatusFile(const std::string& path, LaunchResult* r, bool* complete) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string key;
    s >> key;
    if (key == "main") {
      std::string how;
      int value = 0;
      s >> how >> value;
      if (how == "exited") {
        r->status = ExitStatus::Exited(value);
      } else if (how == "signaled") {
        r->status = ExitStatus::Signaled(value);
      } else if (how == "exec_failed") {
        r->termination = Termination::kNotStarted;
        r->exec_error = std::strerror(value);
        r->status = ExitStatus::Exited(127);
      }
    } else if (key == "process_limit") {
      r->termination = Termination::kProcessLimit;
    } else if (key == "cpu_ms") {
      s >> r->cpu_ms;
    } else if (key == "stray") {
      Stray st;
      s >> st.pid >> st.state;
      std::string rest;
      std::getline(s, rest);
      auto tab = rest.find('\t');
      st.comm = rest.substr(
          1, tab == std::string::npos ? std::string::npos : tab - 1);
      if (tab != std::string::npos) st.cmdline = rest.substr(tab + 1);
      r->strays.push_back(st);
    } else if (key == "end") {
      *complete = true;
    }
  }
}

void Conclude(const LaunchSpec& spec, std::optional<Termination> cut_short,
              bool stopped, LaunchResult* r) {
  if (r->termination != Termination::kNotStarted &&
      r->termination != Termination::kProcessLimit) {
    if (cut_short) {
      r->termination = *cut_short;
    } else if (stopped) {
      r->termination = Termination::kStopped;
    } else {
      r->termination =
          r->status.signaled() ? Termination::kSignalled : Termination::kExited;
    }
  }
  r->timed_out = r->termination == Termination::kDeadline;
  r->output_limited = r->termination == Termination::kOutputLimit;
  r->exec_failed = r->termination == Termination::kNotStarted;
  r->stopped = r->termination == Termination::kStopped;
  r->process_limited = r->termination == Termination::kProcessLimit;
  r->deadline = spec.timeout;
  r->output_cap = spec.output_cap;
  r->limits = spec.limits;
}

}  // namespace ipclab
