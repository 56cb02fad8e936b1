#include "tally.hpp"

namespace pool_driver {

Tally::Tally(std::size_t tasks)
    : size_(tasks), slots_(new std::atomic<int>[tasks]) {
  for (std::size_t i = 0; i < tasks; ++i) slots_[i].store(0);
}

Tally::Census Tally::Count() const {
  Census census;
  for (std::size_t i = 0; i < size_; ++i) {
    int runs = slots_[i].load(std::memory_order_relaxed);
    if (runs == 0) {
      if (census.never++ == 0) census.first_never = i;
    } else if (runs > 1) {
      if (census.twice++ == 0) {
        census.first_twice = i;
        census.first_twice_runs = runs;
      }
    }
  }
  return census;
}

namespace {

Verdict RanTwice(const std::string& what, std::size_t tasks, std::size_t slot,
                 int runs) {
  Detail(Format("%zu task(s) ran more than once; e.g. task #%zu ran %d times",
                tasks, slot, runs));
  return Verdict::Fail(
      Format("%s: %zu task(s) ran more than once; each scheduled task must "
             "run exactly once",
             what.c_str(), tasks));
}

}  // namespace

Verdict Tally::CheckNow(const std::string& what) const {
  Census census = Count();
  if (census.twice > 0) {
    return RanTwice(what, census.twice, census.first_twice,
                    census.first_twice_runs);
  }
  if (census.never > 0) {
    return Verdict::Fail(
        Format("%s: %zu of %zu tasks never ran (e.g. task "
               "#%zu); no task may be lost",
               what.c_str(), census.never, size_, census.first_never));
  }
  return Verdict::Pass();
}

Verdict Tally::CheckAfterWait(const std::string& what) {
  Census at_return = Count();
  if (at_return.twice > 0) {
    return RanTwice(what, at_return.twice, at_return.first_twice,
                    at_return.first_twice_runs);
  }
  if (at_return.never == 0) return Verdict::Pass();

  Detail(
      Format("when wait() returned, %zu of %zu tasks had not finished "
             "(e.g. task #%zu)",
             at_return.never, size_, at_return.first_never));
  WaitAllFinished(DeadlineFromNow());
  Census later = Count();
  if (later.never < at_return.never) {
    Detail(Format("%zu of them finished after wait() had returned",
                  at_return.never - later.never));
    return Verdict::Fail(Format(
        "%s: wait() returned while %zu task(s) had not finished yet; it must "
        "return only once every task scheduled before it has finished",
        what.c_str(), at_return.never));
  }
  return Verdict::Fail(
      Format("%s: %zu task(s) never ran (e.g. task #%zu), not even %d s after "
             "wait() returned; no task may be lost",
             what.c_str(), later.never, later.first_never, DeadlineSeconds()));
}

}  // namespace pool_driver
