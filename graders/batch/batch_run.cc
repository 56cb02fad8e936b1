#include "batch/batch_run.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "batch/batch_progress.h"
#include "batch/batch_record.h"
#include "batch/content_hash.h"
#include "batch/file_bytes.h"
#include "batch/gradebook.h"
#include "batch/submissions.h"
#include "core/launcher.h"
#include "report/atomic_file.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;

// A result is reused only while everything that made it is unchanged: the
// submission's files, the lab spec, the overlay and the grader's version.
Result<std::string> ResultKey(const Submission& sub, const BatchOptions& o) {
  auto tree = HashTree(sub.dir);
  if (!tree) return tree.error();
  auto spec = ReadFileBytes(o.spec_path);
  if (!spec) return spec.error();
  Fingerprint print;
  print.AddField(*tree);
  print.AddField(*spec);
  print.AddField(o.version);
  if (!o.overlay_path.empty()) {
    auto overlay = ReadFileBytes(o.overlay_path);
    if (!overlay) return overlay.error();
    print.AddField(*overlay);
  }
  return print.Hex();
}

// A submission to grade, or one whose finished result is reused.
struct Job {
  Submission sub;
  std::string key;
  std::optional<BatchRecord> done;
};

std::vector<std::string> GradeArgv(const Job& job, const BatchOptions& o,
                                   const fs::path& work) {
  std::vector<std::string> argv = {
      o.grader.string(), "grade", o.spec_path.string(), "--submission",
      job.sub.dir.string(), "--junit", (work / "junit.xml").string(),
      "--gradescope", (work / "results.json").string(), "--jobs",
      std::to_string(o.tests_per_job),
      // A batch's reports are the instructor's.
      "--instructor"};
  if (!o.overlay_path.empty()) {
    argv.insert(argv.end(), {"--tests-from", o.overlay_path.string()});
  }
  if (!o.build_cache.empty()) {
    argv.insert(argv.end(), {"--build-cache", o.build_cache});
  }
  return argv;
}

// The grader's own environment variables (where its parts are) pass on;
// the rest is the launcher's scrubbed environment.
std::vector<std::string> GradeEnvironment() {
  std::vector<std::string> env = ScrubbedEnvironment();
  env.push_back("IPCLAB_EXIT_WITH_PARENT=1");  // See cli/main.cc.
  for (const char* name : {"IPCLAB_SOURCE_DIR", "IPCLAB_BIN_DIR"}) {
    if (const char* v = std::getenv(name))
      env.push_back(std::string(name) + "=" + v);
  }
  return env;
}

// The last lines of a failed grading's stderr: why it could not judge.
std::string Tail(const std::string& text, std::size_t max_chars = 600) {
  return text.size() <= max_chars
             ? text
             : "..." + text.substr(text.size() - max_chars);
}

void JudgeFinished(const LaunchResult& run, const fs::path& work,
                   BatchRecord& r) {
  const int code =
      run.status.kind == ExitStatus::Kind::kExited ? run.status.code : -1;
  auto cells = ReadJUnitCells(work / "junit.xml");
  if ((code != 0 && code != 1) || !cells) {
    r.state = BatchState::kGradingError;
    r.note = "ipclab grade ended with " + run.status.Describe() + ": " +
             Tail(run.err);
    return;
  }
  r.tests = std::move(*cells);
  for (const TestCell& c : r.tests) {
    r.score += c.points;
    r.max_score += c.max_points;
    if (c.id == "build" && c.outcome != "pass") {
      r.state = BatchState::kBuildFailed;
      r.note = "the submission does not build (see report.txt)";
    }
  }
}

BatchRecord JudgeRun(const Result<LaunchResult>& run, const fs::path& work,
                     const BatchOptions& o) {
  BatchRecord r;
  if (!run) {
    r.state = BatchState::kGradingError;
    r.note = run.error().message;
    return r;
  }
  r.seconds = run->seconds;
  switch (run->termination) {
    case Termination::kExited:
      JudgeFinished(*run, work, r);
      return r;
    case Termination::kDeadline:
      r.state = BatchState::kTimedOut;
      r.note = "the grading took longer than the submission's budget of " +
               std::to_string(o.time_per_submission.count()) +
               " s (--time-per-submission)";
      return r;
    default:
      r.state = BatchState::kGradingError;
      r.note = "ipclab grade ended with " + run->status.Describe() + ": " +
               Tail(run->err);
      return r;
  }
}

// A fresh work directory under OUT/.work: a grading writes only there, so
// a grading cut short (or orphaned by a killed batch) never touches a
// finished result.
Result<fs::path> MakeWorkDir(const BatchOptions& o, const std::string& id) {
  std::error_code ec;
  fs::create_directories(o.out / ".work", ec);
  std::string pattern = (o.out / ".work" / (id + ".XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Error{ErrnoMessage("mkdtemp " + pattern, errno)};
  }
  return fs::path(pattern);
}

// Moves the finished work directory to OUT/ID, then writes record.json
// last: a batch killed at any point leaves either no record (graded again
// on resume) or a whole one.
Status Publish(const fs::path& work, const BatchOptions& o,
               const BatchRecord& r) {
  const fs::path final_dir = o.out / r.id;
  std::error_code ec;
  fs::remove_all(final_dir, ec);
  fs::rename(work, final_dir, ec);
  if (ec) return Error{"cannot move " + work.string() + ": " + ec.message()};
  return WriteFileAtomically(final_dir / "record.json", RecordToJson(r));
}

BatchRecord GradeOne(const Job& job, const BatchOptions& o) {
  BatchRecord r;
  auto work = MakeWorkDir(o, job.sub.id);
  if (!work) {
    r.state = BatchState::kGradingError;
    r.note = work.error().message;
  } else {
    LaunchSpec spec;
    spec.argv = GradeArgv(job, o, *work);
    spec.cwd = *work;
    spec.env = GradeEnvironment();
    spec.timeout = o.time_per_submission;
    spec.output_cap = 16u << 20;
    // Each test's own ipclab-init caps the student's processes; this cap
    // only has to leave room for every test of the grading at once.
    spec.limits.processes = 4096;
    const Result<LaunchResult> run = Launch(spec);
    r = JudgeRun(run, *work, o);
    if (run) (void)WriteFileAtomically(*work / "report.txt", run->out);
  }
  r.id = job.sub.id;
  r.hash = job.key;
  if (work) {
    if (Status s = Publish(*work, o, r); !s.ok()) {
      r.state = BatchState::kGradingError;
      r.note = s.error().message;
    }
  }
  return r;
}

// The shard's submissions, each with its key and any result to reuse.
Result<std::vector<Job>> PlanJobs(const LabSpec& lab, const BatchOptions& o) {
  auto subs = FindSubmissions(o.submissions, lab.build);
  if (!subs) return subs.error();
  std::vector<Job> jobs;
  for (Submission& sub : *subs) {
    if (!InShard(sub.id, o.shard_index, o.shard_count)) continue;
    auto key = ResultKey(sub, o);
    if (!key) return key.error();
    Job job{std::move(sub), *key, std::nullopt};
    auto old = ReadRecord(o.out / job.sub.id / "record.json");
    if (old && old->hash == job.key && !o.regrade) job.done = std::move(*old);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

// Grades the jobs without a result on `o.jobs` threads; each thread takes
// the next job in id order.
void GradeAll(std::vector<Job>& jobs, const BatchOptions& o,
              BatchProgress& progress) {
  // Each job is taken by exactly one thread, which alone writes its slot;
  // join() makes the writes visible to the caller.
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      if (jobs[i].done) continue;
      progress.Started(jobs[i].sub.id);
      jobs[i].done = GradeOne(jobs[i], o);
      progress.Finished(*jobs[i].done);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < o.jobs; ++t) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
}

}  // namespace

int RunBatch(const LabSpec& lab, const BatchOptions& o) {
  auto jobs = PlanJobs(lab, o);
  if (!jobs) {
    std::cerr << "ipclab batch: " << jobs.error().message << "\n";
    return 2;
  }
  int reused = 0;
  for (const Job& j : *jobs) reused += j.done.has_value();
  std::cout << "Grading " << (jobs->size() - reused) << " of " << jobs->size()
            << " submissions (" << reused << " already graded), " << o.jobs
            << " at a time; each grading runs " << o.tests_per_job
            << (o.tests_per_job == 1 ? " test" : " tests") << " at a time.\n"
            << std::flush;
  BatchProgress progress(stdout, ::isatty(STDOUT_FILENO) != 0,
                         int(jobs->size()), reused);
  GradeAll(*jobs, o, progress);
  progress.Close();
  std::vector<BatchRecord> records;
  for (Job& j : *jobs) records.push_back(std::move(*j.done));
  if (Status s = WriteClassReports(o.out, lab, records); !s.ok()) {
    std::cerr << "ipclab batch: " << s.error().message << "\n";
    return 2;
  }
  PrintTotals(records, o.out);
  return 0;
}

}  // namespace ipclab
