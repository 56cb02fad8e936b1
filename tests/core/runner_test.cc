#include "core/runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace ipclab {
namespace {

// Fake kinds: the runner's job is scheduling, scoring and containment, not
// running programs.
class FixedKind : public ProbeKind {
 public:
  FixedKind(std::string name, Verdict v) : name_(std::move(name)), v_(v) {}
  std::string_view Name() const override { return name_; }
  std::string_view Description() const override { return "fixed"; }
  std::vector<ParamSpec> Params() const override { return {}; }
  Verdict Run(const ProbeContext& ctx) const override {
    EXPECT_TRUE(std::filesystem::is_directory(ctx.work_dir));
    return v_;
  }

 private:
  std::string name_;
  Verdict v_;
};

class ThrowingKind : public ProbeKind {
 public:
  std::string_view Name() const override { return "throws"; }
  std::string_view Description() const override { return "throws"; }
  std::vector<ParamSpec> Params() const override { return {}; }
  Verdict Run(const ProbeContext&) const override {
    throw std::runtime_error("boom");
  }
};

// Fails in the runs listed (1-based), passes in the others: an
// intermittent bug with a known schedule.
class ScheduledKind : public ProbeKind {
 public:
  explicit ScheduledKind(std::vector<int> failing) : failing_(failing) {}
  std::string_view Name() const override { return "scheduled"; }
  std::string_view Description() const override { return "scheduled"; }
  std::vector<ParamSpec> Params() const override { return {}; }
  Verdict Run(const ProbeContext&) const override {
    const int run = ++runs_;
    for (int f : failing_) {
      if (f == run) {
        return Verdict::Fail(
            run == failing_.front() ? Outcome::kTimeout : Outcome::kFail,
            "went wrong in run " + std::to_string(run),
            {{"Detail", "evidence of run " + std::to_string(run)}});
      }
    }
    return Verdict::Pass();
  }
  mutable std::atomic<int> runs_{0};

 private:
  std::vector<int> failing_;
};

class Recorder : public Reporter {
 public:
  void OnTestEnd(const TestResult& r) override { ids.push_back(r.id); }
  std::vector<std::string> ids;
};

LabSpec MakeLab(int n) {
  LabSpec lab;
  lab.name = "demo";
  for (int i = 0; i < n; ++i) {
    TestSpec t;
    t.id = "t" + std::to_string(i);
    t.kind = i % 3 == 0 ? "fails" : i % 3 == 1 ? "passes" : "partial";
    t.points = 2;
    t.timeout = std::chrono::milliseconds(1000 + 100 * (i % 4));
    lab.tests.push_back(t);
  }
  return lab;
}

ProbeRegistry Kinds() {
  ProbeRegistry r;
  r.Add(std::make_unique<FixedKind>("passes", Verdict::Pass()));
  r.Add(std::make_unique<FixedKind>("fails",
                                    Verdict::Fail(Outcome::kFail, "wrong")));
  Verdict partial = Verdict::Fail(Outcome::kFail, "half");
  partial.fraction = 0.5;
  r.Add(std::make_unique<FixedKind>("partial", partial));
  r.Add(std::make_unique<ThrowingKind>());
  return r;
}

TEST(RunnerTest, ReportsInSpecOrderWhateverTheParallelism) {
  auto lab = MakeLab(20);
  auto kinds = Kinds();
  Recorder rec;
  RunOptions options;
  options.jobs = 4;
  RunSummary s = RunLab(lab, Subject{}, kinds, options, rec);
  ASSERT_EQ(rec.ids.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(rec.ids[i], "t" + std::to_string(i));
  // 7 fail (0), 7 pass (2), 6 partial (1 each).
  EXPECT_DOUBLE_EQ(s.points, 7 * 2 + 6 * 1);
  EXPECT_DOUBLE_EQ(s.max_points, 40);
  EXPECT_FALSE(s.AllPassed());
}

TEST(RunnerTest, AnExceptionInAProbeIsAnErrorResultAndGradingGoesOn) {
  LabSpec lab;
  lab.name = "demo";
  TestSpec a, b;
  a.id = "a";
  a.kind = "throws";
  b.id = "b";
  b.kind = "passes";
  lab.tests = {a, b};
  auto kinds = Kinds();
  Recorder rec;
  RunSummary s = RunLab(lab, Subject{}, kinds, RunOptions{}, rec);
  ASSERT_EQ(s.results.size(), 2u);
  EXPECT_EQ(s.results[0].outcome, Outcome::kError);
  EXPECT_NE(s.results[0].summary.find("boom"), std::string::npos);
  EXPECT_EQ(s.results[1].outcome, Outcome::kPass);
}

TEST(RunnerTest, FailedBuildSkipsEveryTestWithTheReason) {
  auto lab = MakeLab(3);
  auto kinds = Kinds();
  Subject subject;
  BuildOutcome build;
  build.problem = "the compiler reported errors";
  build.output = "psh.cpp:1:1: error: expected unqualified-id";
  subject.build = build;
  Recorder rec;
  RunOptions options;
  options.rerun_prefix = "ipclab grade demo --submission s";
  RunSummary s = RunLab(lab, subject, kinds, options, rec);
  ASSERT_EQ(s.results.size(), 4u);
  EXPECT_EQ(s.results[0].id, "build");
  EXPECT_EQ(s.results[0].outcome, Outcome::kFail);
  bool has_output = false;
  for (const auto& sec : s.results[0].sections) {
    has_output |= sec.body.find("expected unqualified-id") != std::string::npos;
  }
  EXPECT_TRUE(has_output);
  for (int i = 1; i < 4; ++i) {
    EXPECT_EQ(s.results[i].outcome, Outcome::kSkipped);
    EXPECT_NE(s.results[i].summary.find("does not build"), std::string::npos);
  }
  EXPECT_EQ(s.points, 0);
  EXPECT_EQ(s.results[1].rerun, "ipclab grade demo --submission s --only t0");
}

LabSpec OneTest(const std::string& kind) {
  LabSpec lab;
  lab.name = "demo";
  TestSpec t;
  t.id = "racy";
  t.kind = kind;
  t.points = 3;
  lab.tests.push_back(t);
  return lab;
}

TEST(RunnerTest, RepeatFailsATestThatFailsInSomeRunsWithTheFirstFailure) {
  ProbeRegistry kinds;
  auto* kind = new ScheduledKind({2, 4});
  kinds.Add(std::unique_ptr<ProbeKind>(kind));
  Recorder rec;
  RunOptions options;
  options.repeat = 5;
  RunSummary s = RunLab(OneTest("scheduled"), Subject{}, kinds, options, rec);
  EXPECT_EQ(kind->runs_, 5);
  ASSERT_EQ(s.results.size(), 1u);
  const TestResult& r = s.results[0];
  EXPECT_EQ(r.outcome, Outcome::kTimeout);  // Run 2's.
  EXPECT_DOUBLE_EQ(r.points, 0);
  EXPECT_EQ(r.summary, "This test failed 2 of 5 runs. went wrong in run 2");
  EXPECT_EQ(r.runs, 5);
  ASSERT_EQ(r.failed_runs.size(), 2u);
  EXPECT_EQ(r.failed_runs[0].run, 2);
  EXPECT_EQ(r.failed_runs[1].run, 4);
  EXPECT_EQ(r.failed_runs[1].outcome, Outcome::kFail);
  // The runs first, then the first failure's full explanation.
  ASSERT_EQ(r.sections.size(), 2u);
  EXPECT_EQ(r.sections[0].title, "Runs");
  EXPECT_NE(r.sections[0].body.find("runs 2 and 4"), std::string::npos);
  EXPECT_NE(r.sections[0].body.find("run 4: fail: went wrong in run 4"),
            std::string::npos);
  EXPECT_EQ(r.sections[1].body, "evidence of run 2");
}

TEST(RunnerTest, RepeatPassesATestThatPassesInEveryRun) {
  ProbeRegistry kinds;
  auto* kind = new ScheduledKind({});
  kinds.Add(std::unique_ptr<ProbeKind>(kind));
  Recorder rec;
  RunOptions options;
  options.repeat = 4;
  RunSummary s = RunLab(OneTest("scheduled"), Subject{}, kinds, options, rec);
  EXPECT_EQ(kind->runs_, 4);
  EXPECT_EQ(s.results[0].outcome, Outcome::kPass);
  EXPECT_DOUBLE_EQ(s.results[0].points, 3);
  EXPECT_EQ(s.results[0].summary, "");
  EXPECT_TRUE(s.results[0].failed_runs.empty());
}

// Skips in the runs listed (1-based), passes in the others, as a test does
// when the machine lacks what it needs (e.g. a network namespace).
class SkippingKind : public ProbeKind {
 public:
  explicit SkippingKind(std::vector<int> skipping) : skipping_(skipping) {}
  std::string_view Name() const override { return "skipping"; }
  std::string_view Description() const override { return "skipping"; }
  std::vector<ParamSpec> Params() const override { return {}; }
  Verdict Run(const ProbeContext&) const override {
    const int run = ++runs_;
    for (int s : skipping_) {
      if (s == run) {
        return Verdict::Fail(Outcome::kSkipped, "no network namespace",
                             {{"Why", "unshare failed"}});
      }
    }
    return Verdict::Pass();
  }
  mutable std::atomic<int> runs_{0};

 private:
  std::vector<int> skipping_;
};

TEST(RunnerTest, RepeatReportsATestSkippedInEveryRunAsSkipped) {
  ProbeRegistry kinds;
  auto* kind = new SkippingKind({1, 2, 3, 4, 5});
  kinds.Add(std::unique_ptr<ProbeKind>(kind));
  Recorder rec;
  RunOptions options;
  options.repeat = 5;
  RunSummary s = RunLab(OneTest("skipping"), Subject{}, kinds, options, rec);
  EXPECT_EQ(kind->runs_, 5);
  const TestResult& r = s.results[0];
  EXPECT_EQ(r.outcome, Outcome::kSkipped);
  EXPECT_EQ(r.summary, "no network namespace");  // Not "failed 5 of 5 runs".
  EXPECT_TRUE(r.failed_runs.empty());
  ASSERT_EQ(r.sections.size(), 1u);
  EXPECT_EQ(r.sections[0].title, "Why");
  EXPECT_DOUBLE_EQ(r.points, 0);
}

TEST(RunnerTest, RepeatSaysHowManyRunsWereSkipped) {
  ProbeRegistry kinds;
  kinds.Add(std::make_unique<SkippingKind>(std::vector<int>{2}));
  Recorder rec;
  RunOptions options;
  options.repeat = 3;
  RunSummary s = RunLab(OneTest("skipping"), Subject{}, kinds, options, rec);
  const TestResult& r = s.results[0];
  EXPECT_EQ(r.outcome, Outcome::kSkipped);
  EXPECT_EQ(r.summary,
            "Skipped in 1 of 3 runs (passed in the others). "
            "no network namespace");
  EXPECT_TRUE(r.failed_runs.empty());
}

TEST(RunnerTest, WithoutRepeatASkipReadsAsBefore) {
  ProbeRegistry kinds;
  kinds.Add(std::make_unique<SkippingKind>(std::vector<int>{1}));
  Recorder rec;
  RunSummary s = RunLab(OneTest("skipping"), Subject{}, kinds, {}, rec);
  EXPECT_EQ(s.results[0].outcome, Outcome::kSkipped);
  EXPECT_EQ(s.results[0].summary, "no network namespace");
}

TEST(RunnerTest, WithoutRepeatAFailureReadsAsBefore) {
  ProbeRegistry kinds;
  kinds.Add(std::make_unique<ScheduledKind>(std::vector<int>{1}));
  Recorder rec;
  RunSummary s = RunLab(OneTest("scheduled"), Subject{}, kinds, {}, rec);
  EXPECT_EQ(s.results[0].summary, "went wrong in run 1");
  EXPECT_EQ(s.results[0].sections.size(), 1u);
}

TEST(RunnerTest, OnlySelectsByGlobOrWord) {
  EXPECT_TRUE(Selected("status-signal", ""));
  EXPECT_TRUE(Selected("status-signal", "signal"));
  EXPECT_TRUE(Selected("status-signal", "status-*"));
  EXPECT_FALSE(Selected("status-signal", "eof-*"));
  EXPECT_FALSE(Selected("eof-two", "signal"));
  auto lab = MakeLab(12);
  auto kinds = Kinds();
  Recorder rec;
  RunOptions options;
  options.only = {"t1*"};
  RunSummary s = RunLab(lab, Subject{}, kinds, options, rec);
  EXPECT_EQ(rec.ids, (std::vector<std::string>{"t1", "t10", "t11"}));
  EXPECT_DOUBLE_EQ(s.max_points, 6);
  // An exact id runs only that test, though "t1" is part of "t10" and "t11".
  EXPECT_EQ(SelectTests(lab, "t1").size(), 1u);
  EXPECT_EQ(SelectTests(lab, "t").size(), 12u);
}

TEST(RunnerTest, SeveralOnlyPatternsRunWhatAnyOfThemSelects) {
  auto lab = MakeLab(12);
  const std::vector<std::string> patterns = {"t11", "t1", "t3"};
  std::vector<std::string> ids;
  for (const TestSpec* t : SelectTests(lab, patterns)) ids.push_back(t->id);
  // Spec order; "t1" is exact here too, so not t10 or t11 through it.
  EXPECT_EQ(ids, (std::vector<std::string>{"t1", "t3", "t11"}));
  EXPECT_EQ(SelectTests(lab, std::vector<std::string>{}).size(), 12u);
  auto kinds = Kinds();
  Recorder rec;
  RunOptions options;
  options.only = {"t2", "t1?"};
  RunLab(lab, Subject{}, kinds, options, rec);
  EXPECT_EQ(rec.ids, (std::vector<std::string>{"t2", "t10", "t11"}));
}

}  // namespace
}  // namespace ipclab
