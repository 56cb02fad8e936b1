// Each termination of the closed set, for each probe kind: a tiny lab per
// kind (its real reference), graded with a hostile program in the
// student's place, through the real `ipclab`. Every kind must report the
// termination with the core's standard outcome and wording, including the
// limits as configured (not a number written into a message).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli_fixture.h"
#include "core/launcher.h"
#include "core/paths.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

struct Kind {
  std::string name;
  std::string reference;  // Under build/bin.
  std::string test;       // The YAML of its one test.
  std::string deadline_phrase;
  // A server must print "listening on PORT" from a bound port before it
  // misbehaves: the misbehaviour then runs under build/bin/listen_then.
  bool listens = false;
};

struct Ending {
  std::string name;
  std::string script;  // What the program in the student's place runs.
  int timeout;         // Seconds: short only where the deadline must act.
  std::string mark;
  std::string phrase;
  int exit_code;
};

const Kind kKinds[] = {
    {"psh-script", "reference/pipeline/psh",
     "{id: t, title: T, kind: psh-script, script: \"echo hi\\n\"}",
     "was still running after 1 s, the test's deadline"},
    {"pool-scenario", "reference/threadpool/pool-driver",
     "{id: t, title: T, kind: pool-scenario, scenario: exactly-once}",
     "was still running after 1 s, the test's deadline"},
    {"echo-clients", "reference/echo/echo-server",
     "{id: t, title: T, kind: echo-clients, payload: \"hi\\n\"}",
     "what the test's timeout (1.0 s, set in lab.yaml) left", true},
};

const Ending kEndings[] = {
    {"signalled", "kill -SEGV $$\n", 60, "CRASH",
     "was killed by signal 11 (SIGSEGV)", 1},
    {"deadline", "exec sleep 1000\n", 1, "TIMEOUT", "", 1},
    {"output limit", "exec yes flood\n", 60, "OUTPUT",
     "printed more than 1 MiB on stdout, the grader's cap", 1},
    {"process limit", "while :; do sleep 1000 & done\n", 60, "FAIL",
     "had more than 256 processes at once, the grader's limit", 1},
};

// The program in the student's place: the ending itself, or for a server,
// the ending run by listen_then once the port is bound and announced.
std::string HostileScript(const Kind& kind, const Ending& ending) {
  if (!kind.listens) return "#!/bin/sh\n" + ending.script;
  return "#!/bin/sh\nexec " + (BinDir() / "listen_then").string() +
         " /bin/sh -c '" + ending.script + "'\n";
}

class TerminationKindsTest : public ScratchDirTest {
 protected:
  LaunchResult Grade(const Kind& kind, int timeout, const fs::path& program) {
    const fs::path lab = Write(
        "lab/lab.yaml",
        "lab: small\nreference: " + (BinDir() / kind.reference).string() +
            "\nbuild: {output: x, flags: [-std=c++20]}\n"
            "defaults: {timeout: " +
            std::to_string(timeout) + "}\ntests:\n  - " + kind.test + "\n");
    return RunIpclab({"grade", lab.string(), "--binary", program.string()},
                     std::chrono::seconds(240));
  }
};

TEST_F(TerminationKindsTest, EveryKindReportsEveryTermination) {
  for (const Kind& kind : kKinds) {
    for (const Ending& ending : kEndings) {
      SCOPED_TRACE(kind.name + " / " + ending.name);
      const fs::path program =
          Write("hostile", HostileScript(kind, ending), true);
      LaunchResult r = Grade(kind, ending.timeout, program);
      EXPECT_EQ(r.status.ShellStatus(), ending.exit_code) << r.out << r.err;
      EXPECT_NE(r.out.find("\n" + ending.mark + " "), std::string::npos)
          << r.out;
      const std::string phrase =
          ending.phrase.empty() ? kind.deadline_phrase : ending.phrase;
      EXPECT_NE(r.out.find(phrase), std::string::npos) << phrase << "\n"
                                                       << r.out;
    }
  }
}

TEST_F(TerminationKindsTest, EveryKindReportsAProgramThatCannotStart) {
  for (const Kind& kind : kKinds) {
    SCOPED_TRACE(kind.name);
    // Executable, but exec() fails: its interpreter does not exist.
    const fs::path program =
        Write("unstartable", "#!/no/such/interpreter\n", true);
    LaunchResult r = Grade(kind, 60, program);
    EXPECT_EQ(r.status.ShellStatus(), 2) << r.out << r.err;
    EXPECT_NE(r.out.find("\nERROR "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("could not be started"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace ipclab
