#include "core/spec_loader.h"

#include <gtest/gtest.h>

#include "core/paths.h"

namespace ipclab {
namespace {

std::string Error(const std::string& yaml) {
  auto r = ParseLabSpec(yaml, "lab.yaml", BuiltinKinds());
  return r.ok() ? "(loaded)" : r.error().message;
}

const char* kHeader =
    "lab: demo\n"
    "reference: reference/demo/psh\n"
    "tests:\n";

TEST(SpecLoaderTest, LoadsAValidSpec) {
  auto r = ParseLabSpec(std::string(kHeader) +
                            "  - id: one\n"
                            "    title: One\n"
                            "    kind: psh-script\n"
                            "    points: 3\n"
                            "    timeout: 2.5\n"
                            "    visibility: hidden\n"
                            "    topic: SIGPIPE\n"
                            "    script: echo hi\n",
                        "lab.yaml", BuiltinKinds());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->tests.size(), 1u);
  EXPECT_EQ(r->tests[0].id, "one");
  EXPECT_EQ(r->tests[0].points, 3);
  EXPECT_EQ(r->tests[0].timeout.count(), 2500);
  EXPECT_EQ(r->tests[0].visibility, Visibility::kHidden);
  EXPECT_EQ(r->tests[0].topic, "SIGPIPE");
  EXPECT_EQ(r->tests[0].params.String("script"), "echo hi");
  EXPECT_EQ(r->tests[0].location.ToString(), "lab.yaml:4:5");
}

TEST(SpecLoaderTest, KnowsGradescopesFourVisibilities) {
  for (const char* name :
       {"visible", "hidden", "after_due_date", "after_published"}) {
    auto r = ParseLabSpec(std::string(kHeader) +
                              "  - id: one\n"
                              "    title: One\n"
                              "    kind: psh-script\n"
                              "    script: echo\n"
                              "    visibility: " +
                              name + "\n",
                          "lab.yaml", BuiltinKinds());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(VisibilityName(r->tests[0].visibility), name);
  }
}

TEST(SpecLoaderTest, UnknownKeyNamesItsPosition) {
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    pionts: 3\n"),
            "lab.yaml:8:5: unknown key 'pionts' in test 'one' (kind "
            "psh-script) (allowed: compare, files, hint, "
            "hold_stdin_until_exit_of, id, kind, min_reports, points, "
            "repeat, reports, script, script_via, status_range, "
            "status_rule, stderr_empty, stdin, stdin_bytes, timeout, title, "
            "topic, visibility)");
}

TEST(SpecLoaderTest, DuplicateKeyIsRejected) {
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    script: echo again\n"),
            "lab.yaml:8:5: duplicate key 'script'");
}

TEST(SpecLoaderTest, DuplicateIdIsRejected) {
  EXPECT_EQ(Error(std::string(kHeader) +
                  "  - {id: one, title: A, kind: psh-script, script: a}\n"
                  "  - {id: one, title: B, kind: psh-script, script: b}\n"),
            "lab.yaml:5:10: duplicate test id 'one'");
}

TEST(SpecLoaderTest, UnknownKindListsKnownOnes) {
  std::string e = Error(std::string(kHeader) +
                        "  - id: one\n"
                        "    title: One\n"
                        "    kind: psh-scrpit\n");
  EXPECT_EQ(
      e.rfind("lab.yaml:6:11: unknown probe kind 'psh-scrpit' (known: ", 0), 0u)
      << e;
  EXPECT_NE(e.find("psh-script"), std::string::npos) << e;
}

TEST(SpecLoaderTest, MissingFieldPointsAtTheTest) {
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"),
            "lab.yaml:4:5: missing required key 'title'");
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"),
            "lab.yaml:4:5: test 'one' is missing required key 'script' (the "
            "lines the shell runs)");
}

TEST(SpecLoaderTest, WrongTypesAreNamed) {
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    points: five\n"),
            "lab.yaml:8:13: 'points' must be a number, not 'five'");
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: [echo]\n"),
            "lab.yaml:7:13: 'script' must be a string");
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    visibility: secret\n"),
            "lab.yaml:8:17: 'visibility' must be 'visible', 'hidden', "
            "'after_due_date' or 'after_published', not 'secret'");
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    topic: pipes\n"),
            "lab.yaml:8:12: 'topic' must be one of blocking, EOF, SIGPIPE, "
            "concurrency, reaping, not 'pipes'");
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    stderr_empty: maybe\n"),
            "lab.yaml:8:19: 'stderr_empty' must be true or false, not "
            "'maybe'");
}

TEST(SpecLoaderTest, KindValidationIsPositioned) {
  EXPECT_EQ(Error(std::string(kHeader) + "  - id: one\n"
                                         "    title: One\n"
                                         "    kind: psh-script\n"
                                         "    script: echo\n"
                                         "    script_via: pipe\n"),
            "lab.yaml:4:5: test 'one': 'script_via' must be 'file' or "
            "'stdin', not 'pipe'");
}

TEST(SpecLoaderTest, SyntaxErrorHasAPosition) {
  std::string e = Error("lab: demo\ntests: [\n  - a: b\n");
  EXPECT_EQ(e.rfind("lab.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find(':', 9), std::string::npos);
  EXPECT_EQ(Error("lab: demo\n  bad indent: 1\n").rfind("lab.yaml:2:", 0), 0u);
}

TEST(SpecLoaderTest, StructuralErrors) {
  EXPECT_EQ(Error("- a\n- b\n"),
            "lab.yaml:1:1: the lab spec must be a mapping");
  EXPECT_EQ(Error("lab: demo\nreference: x\ntests: 3\n"),
            "lab.yaml:3:8: 'tests' must be a list");
  EXPECT_EQ(Error("lab: demo\nreference: x\n"),
            "lab.yaml:1:1: missing required key 'tests'");
  EXPECT_EQ(Error("lab: Demo Lab\nreference: x\ntests: []\n"),
            "lab.yaml:1:6: lab name 'Demo Lab' must be lower case letters, "
            "digits and '-'");
}

TEST(SpecLoaderTest, MissingFileIsAnError) {
  auto r = LoadLabSpec("/no/such/lab.yaml", BuiltinKinds());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "/no/such/lab.yaml: cannot read the lab spec");
}

TEST(SpecLoaderTest, EveryBundledLabLoads) {
  for (const char* lab : {"pipeline", "echo", "threadpool"}) {
    auto r =
        LoadLabSpec(SourceDir() / "labs" / lab / "lab.yaml", BuiltinKinds());
    EXPECT_TRUE(r.ok()) << r.error().message;
  }
}

}  // namespace
}  // namespace ipclab
