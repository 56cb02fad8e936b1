// Unit tests of the batch's pieces: which submissions a directory holds,
// the content key, shards, records and the gradebook's CSV.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "batch/batch_record.h"
#include "batch/content_hash.h"
#include "batch/gradebook.h"
#include "batch/submissions.h"

namespace ipclab {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "batch-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~Scratch() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  void Write(const fs::path& rel, const std::string& text) const {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel) << text;
  }

 private:
  fs::path path_;
};

BuildSpec CppBuild() {
  BuildSpec b;
  b.sources = {"*.cpp"};
  return b;
}

std::vector<std::string> Ids(const std::vector<Submission>& subs) {
  std::vector<std::string> ids;
  for (const Submission& s : subs) ids.push_back(s.id);
  return ids;
}

TEST(FindSubmissionsTest, ADirectoryWithSourcesIsOneSubmission) {
  Scratch s;
  s.Write("alice/psh.cpp", "");
  auto subs = FindSubmissions({s.path() / "alice/"}, CppBuild());
  ASSERT_TRUE(subs.ok()) << subs.error().message;
  EXPECT_THAT(Ids(*subs), ElementsAre("alice"));
}

TEST(FindSubmissionsTest, AFolderOfFoldersGivesOneEachSkippingHiddenOnes) {
  Scratch s;
  s.Write("class/bob/psh.cpp", "");
  s.Write("class/alice/psh.cpp", "");
  s.Write("class/.git/config", "");
  auto subs = FindSubmissions({s.path() / "class"}, CppBuild());
  ASSERT_TRUE(subs.ok());
  EXPECT_THAT(Ids(*subs), ElementsAre("alice", "bob"));
}

TEST(FindSubmissionsTest, GradescopeExportUsesTheSubmissionFolders) {
  Scratch s;
  s.Write("export/submission_metadata.yml", "{}");
  s.Write("export/submission_17/psh.cpp", "");
  s.Write("export/submission_4/psh.cpp", "");
  s.Write("export/notes/readme.txt", "");
  auto subs = FindSubmissions({s.path() / "export"}, CppBuild());
  ASSERT_TRUE(subs.ok());
  EXPECT_THAT(Ids(*subs), ElementsAre("submission_17", "submission_4"));
}

TEST(FindSubmissionsTest, ClassroomCloneIdsAreUserNames) {
  Scratch s;
  s.Write("pipes-submissions/pipes-octocat/psh.cpp", "");
  s.Write("pipes-submissions/pipes-hubot/psh.cpp", "");
  auto subs = FindSubmissions({s.path() / "pipes-submissions"}, CppBuild());
  ASSERT_TRUE(subs.ok());
  EXPECT_THAT(Ids(*subs), ElementsAre("hubot", "octocat"));
}

TEST(FindSubmissionsTest, SharedNamePrefixesAreKeptOutsideClassroom) {
  Scratch s;
  s.Write("class/john-smith/psh.cpp", "");
  s.Write("class/john-doe/psh.cpp", "");
  auto subs = FindSubmissions({s.path() / "class"}, CppBuild());
  ASSERT_TRUE(subs.ok());
  EXPECT_THAT(Ids(*subs), ElementsAre("john-doe", "john-smith"));
}

TEST(FindSubmissionsTest, DuplicateIdsAreAnErrorNamingBoth) {
  Scratch s;
  s.Write("a/alice/psh.cpp", "");
  s.Write("b/alice/psh.cpp", "");
  auto subs = FindSubmissions({s.path() / "a", s.path() / "b"}, CppBuild());
  ASSERT_FALSE(subs.ok());
  EXPECT_THAT(subs.error().message, HasSubstr("a/alice"));
  EXPECT_THAT(subs.error().message, HasSubstr("b/alice"));
}

TEST(FindSubmissionsTest, AFileIsAnError) {
  Scratch s;
  s.Write("psh.cpp", "");
  EXPECT_FALSE(FindSubmissions({s.path() / "psh.cpp"}, CppBuild()).ok());
}

TEST(HashTreeTest, ChangesWithContentAndNamesButNotWithGit) {
  Scratch s;
  s.Write("d/a.cpp", "int x;");
  const std::string first = *HashTree(s.path() / "d");
  EXPECT_EQ(first, *HashTree(s.path() / "d"));
  s.Write("d/.git/HEAD", "ref");
  EXPECT_EQ(first, *HashTree(s.path() / "d"));
  s.Write("d/a.cpp", "int y;");
  const std::string second = *HashTree(s.path() / "d");
  EXPECT_NE(first, second);
  fs::rename(s.path() / "d/a.cpp", s.path() / "d/b.cpp");
  EXPECT_NE(second, *HashTree(s.path() / "d"));
}

TEST(FingerprintTest, FieldsCannotRunTogether) {
  Fingerprint a, b;
  a.AddField("ab");
  a.AddField("c");
  b.AddField("a");
  b.AddField("bc");
  EXPECT_NE(a.Hex(), b.Hex());
}

TEST(InShardTest, EveryIdIsInExactlyOneShard) {
  std::set<int> used;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "student" + std::to_string(i);
    int shards = 0;
    for (int k = 1; k <= 4; ++k) {
      if (InShard(id, k, 4)) {
        ++shards;
        used.insert(k);
      }
    }
    EXPECT_EQ(shards, 1) << id;
    EXPECT_TRUE(InShard(id, 1, 1));
  }
  EXPECT_EQ(used.size(), 4u);  // 200 ids fill every shard.
}

TEST(BatchRecordTest, RoundTripsThroughJson) {
  Scratch s;
  BatchRecord r;
  r.id = "alice";
  r.state = BatchState::kBuildFailed;
  r.hash = "0123";
  r.score = 0;
  r.max_score = 10;
  r.note = "does not build";
  r.tests = {{"build", "fail", 0, 0, 1.5}, {"two", "skipped", 0, 10, 0}};
  s.Write("record.json", RecordToJson(r));
  auto back = ReadRecord(s.path() / "record.json");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->id, "alice");
  EXPECT_EQ(back->state, BatchState::kBuildFailed);
  EXPECT_EQ(back->note, "does not build");
  ASSERT_EQ(back->tests.size(), 2u);
  EXPECT_EQ(back->tests[1].outcome, "skipped");
  EXPECT_EQ(back->tests[1].max_points, 10);
}

TEST(BatchRecordTest, ATruncatedRecordIsNotFinished) {
  Scratch s;
  s.Write("record.json", "{\"id\": \"al");
  EXPECT_FALSE(ReadRecord(s.path() / "record.json").ok());
  EXPECT_FALSE(ReadRecord(s.path() / "missing.json").ok());
}

TEST(GradebookTest, NotRunIsEmptyAndOddIdsAreQuoted) {
  BatchRecord a;
  a.id = "smith, \"js\"";
  a.score = 2;
  a.max_score = 3;
  a.tests = {{"one", "pass", 2, 2, 0.1}, {"two", "fail", 0, 1, 0.2}};
  BatchRecord b;
  b.id = "bob";
  b.state = BatchState::kTimedOut;
  b.max_score = 3;
  const std::string csv = RenderGradebookCsv({a, b}, {{"one", 2}, {"two", 1}});
  EXPECT_EQ(csv,
            "student,state,score,max_score,one,two\r\n"
            "\"smith, \"\"js\"\"\",graded,2,3,2,0\r\n"
            "bob,timed out,0,3,,\r\n");
}

}  // namespace
}  // namespace ipclab
