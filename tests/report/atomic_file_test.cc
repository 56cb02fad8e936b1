#include "report/atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "report_test_util.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;

std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(WriteFileAtomicallyTest, WritesContentAndLeavesNoTemporaryFile) {
  TempDir dir;
  const fs::path target = dir.path() / "report.xml";
  const std::string content = std::string("with nul\0inside", 15) + "\n";
  ASSERT_TRUE(WriteFileAtomically(target, content).ok());
  EXPECT_EQ(ReadFile(target), content);
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"report.xml"});
  // Readable by others, e.g. a CI uploader running as another user.
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::others_read,
            fs::perms::others_read);
}

TEST(WriteFileAtomicallyTest, ReplacesAnExistingFile) {
  TempDir dir;
  const fs::path target = dir.path() / "results.json";
  ASSERT_TRUE(WriteFileAtomically(target, std::string(10'000, 'a')).ok());
  ASSERT_TRUE(WriteFileAtomically(target, "short").ok());
  EXPECT_EQ(ReadFile(target), "short");
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"results.json"});
}

TEST(WriteFileAtomicallyTest, CreatesMissingParentDirectories) {
  TempDir dir;
  const fs::path target = dir.path() / "a" / "b" / "c" / "report.xml";
  ASSERT_TRUE(WriteFileAtomically(target, "x").ok());
  EXPECT_EQ(ReadFile(target), "x");
}

TEST(WriteFileAtomicallyTest, WritesEmptyContent) {
  TempDir dir;
  const fs::path target = dir.path() / "empty";
  ASSERT_TRUE(WriteFileAtomically(target, "").ok());
  EXPECT_TRUE(fs::exists(target));
  EXPECT_EQ(fs::file_size(target), 0u);
}

TEST(WriteFileAtomicallyTest, ReadersNeverSeeAHalfWrittenFile) {
  TempDir dir;
  const fs::path target = dir.path() / "report.xml";
  const std::string a(1 << 20, 'a');
  const std::string b(1 << 20, 'b');
  ASSERT_TRUE(WriteFileAtomically(target, a).ok());

  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done) {
      const std::string seen = ReadFile(target);
      ++reads;
      if (seen != a && seen != b) ++bad_reads;
    }
  });
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(WriteFileAtomically(target, i % 2 == 0 ? b : a).ok());
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0);
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"report.xml"});
}

TEST(WriteFileAtomicallyTest, ParentThatIsAFileIsAnError) {
  TempDir dir;
  const fs::path file = dir.path() / "not-a-dir";
  ASSERT_TRUE(WriteFileAtomically(file, "x").ok());
  const fs::path target = file / "report.xml";
  const Status status = WriteFileAtomically(target, "content");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr(target.string()));
  EXPECT_THAT(status.error().message, HasSubstr("Not a directory"));
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"not-a-dir"});
}

TEST(WriteFileAtomicallyTest, UncreatableParentIsAnError) {
  // /proc refuses new directories, even to root.
  const fs::path target = "/proc/ipclab-no-such-dir/report.xml";
  const Status status = WriteFileAtomically(target, "content");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr(target.string()));
  EXPECT_FALSE(fs::exists(target.parent_path()));
}

TEST(WriteFileAtomicallyTest, UnwritableDirectoryIsAnError) {
  // /proc/self exists but takes no new files, even from root (for whom a
  // chmod'ed directory would still be writable).
  const fs::path target = "/proc/self/ipclab-report.xml";
  const Status status = WriteFileAtomically(target, "content");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr(target.string()));
  EXPECT_THAT(status.error().message, HasSubstr("temporary file"));
}

TEST(WriteFileAtomicallyTest, TargetThatIsADirectoryIsAnErrorAndCleansUp) {
  TempDir dir;
  const fs::path target = dir.path() / "taken";
  fs::create_directory(target);
  const Status status = WriteFileAtomically(target, "content");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr(target.string()));
  EXPECT_THAT(status.error().message, HasSubstr("rename"));
  EXPECT_EQ(Entries(dir.path()), std::vector<std::string>{"taken"});
}

TEST(WriteFileAtomicallyTest, EmptyFileNameIsAnError) {
  TempDir dir;
  EXPECT_FALSE(WriteFileAtomically(dir.path() / "", "x").ok());
}

// Runs in a child process with a file size limit, which makes write(2) fail
// half-way like a full disk. Returns the exit code: 0 when the failure was
// reported and left the old report intact with no temporary file.
int WriteIntoFullDisk(const fs::path& dir, const fs::path& target) {
  ::signal(SIGXFSZ, SIG_IGN);  // Get EFBIG instead of being killed.
  const rlimit limit{4096, 4096};
  if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
  const Status status = WriteFileAtomically(target, std::string(1 << 20, 'n'));
  if (status.ok()) return 1;
  if (status.error().message.find("File too large") == std::string::npos) {
    return 2;
  }
  if (ReadFile(target) != "old report") return 3;
  if (Entries(dir) != std::vector<std::string>{"report.xml"}) return 4;
  return 0;
}

TEST(WriteFileAtomicallyDeathTest, FailedWriteKeepsTheOldFile) {
  TempDir dir;
  const fs::path target = dir.path() / "report.xml";
  ASSERT_TRUE(WriteFileAtomically(target, "old report").ok());
  EXPECT_EXIT(std::_Exit(WriteIntoFullDisk(dir.path(), target)),
              ::testing::ExitedWithCode(0), "");
  EXPECT_EQ(ReadFile(target), "old report");
}

}  // namespace
}  // namespace ipclab
