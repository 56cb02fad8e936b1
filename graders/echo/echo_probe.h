// What every echo-lab probe kind shares: the server's command line from a
// test's parameters, running a scenario against the reference and then the
// student's server, and turning a server that never got ready or died into
// a verdict that says so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/probe.h"
#include "echo/server_run.h"

namespace ipclab {

/// The parameters every echo kind accepts: mode, workers, queue.
std::vector<ParamSpec> ServerParams();
Status ValidateServerParams(const TestSpec& test);

/// "--port 0 --mode pool --workers 2 --queue 3" from the test's params.
std::vector<std::string> ServerArgs(const Params& p, int port = 0);

/// A scenario's verdict, unless the run itself went wrong first: the
/// server never printed its readiness line, crashed during the scenario,
/// or the grader could not run it. `who` is "your server" or "the
/// reference server".
std::optional<Verdict> RunProblem(const Result<ServerRun>& run,
                                  const std::string& who);

/// Runs the scenario on the reference, then (if the reference behaved) on
/// the student's server. Returns the student's verdict, or an error verdict
/// when the reference itself failed (the grader's fault, never the
/// student's). `compare` may turn both runs' observations into a verdict.
///
/// The student's server gets as long as `policy` allows from the
/// reference's measured times in this run (DeadlineFromReference): to print
/// its readiness line, and for the scenario. With `inject:` in the test,
/// both servers run under the I/O shim (io_shim.h).
Verdict RunAgainstReference(const ProbeContext& ctx,
                            const std::vector<std::string>& args,
                            const Scenario& reference_scenario,
                            const Scenario& student_scenario,
                            const DeadlinePolicy& policy = {},
                            const std::string& private_network = {});

/// For a test with `inject:`, adds what the I/O shim did in the student's
/// run to a failing verdict (once). Kinds that judge after
/// RunAgainstReference returns call it on their own failures.
void AddInjected(const ProbeContext& ctx, Verdict* v);

/// The section every echo failure carries: how to build and start the
/// server with `args` and talk to it by hand, as pasted from the directory
/// the grader ran in.
std::vector<Section> ServerContext(const ProbeContext& ctx,
                                   const std::vector<std::string>& args);

}  // namespace ipclab
