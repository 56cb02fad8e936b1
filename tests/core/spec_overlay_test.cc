// The instructor's test overlay (--tests-from): added tests, overridden
// points and visibility, and every mistake in it named by file:line:col.
#include <gtest/gtest.h>

#include "core/paths.h"
#include "core/spec_loader.h"

namespace ipclab {
namespace {

const char* kLab =
    "lab: demo\n"
    "reference: reference/demo/psh\n"
    "tests:\n"
    "  - id: one\n"
    "    title: One\n"
    "    kind: psh-script\n"
    "    points: 2\n"
    "    script: echo one\n";

LabSpec BaseLab() {
  auto lab = ParseLabSpec(kLab, "lab.yaml", BuiltinKinds());
  EXPECT_TRUE(lab.ok()) << lab.error().message;
  return *lab;
}

// The overlay's error, or "(applied)"; `lab` receives the merge.
std::string Apply(const std::string& overlay, LabSpec& lab) {
  Status s = ParseOverlay(overlay, "hidden.yaml", BuiltinKinds(), lab);
  return s.ok() ? "(applied)" : s.error().message;
}

TEST(SpecOverlayTest, AddsTestsHiddenUnlessSaidOtherwise) {
  LabSpec lab = BaseLab();
  ASSERT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: secret\n"
                  "    title: Secret\n"
                  "    kind: psh-script\n"
                  "    script: echo secret\n"
                  "  - id: later\n"
                  "    title: Later\n"
                  "    kind: psh-script\n"
                  "    visibility: after_due_date\n"
                  "    points: 4\n"
                  "    script: echo later\n",
                  lab),
            "(applied)");
  ASSERT_EQ(lab.tests.size(), 3u);
  EXPECT_EQ(lab.tests[1].id, "secret");
  EXPECT_EQ(lab.tests[1].visibility, Visibility::kHidden);
  EXPECT_EQ(lab.tests[1].points, 1);
  EXPECT_EQ(lab.tests[1].location.ToString(), "hidden.yaml:3:5");
  EXPECT_EQ(lab.tests[2].visibility, Visibility::kAfterDueDate);
  EXPECT_EQ(lab.MaxPoints(), 2 + 1 + 4);
}

TEST(SpecOverlayTest, DefaultsApplyToTheOverlaysOwnTests) {
  LabSpec lab = BaseLab();
  ASSERT_EQ(Apply("lab: demo\n"
                  "defaults:\n"
                  "  points: 5\n"
                  "  visibility: after_published\n"
                  "tests:\n"
                  "  - id: two\n"
                  "    title: Two\n"
                  "    kind: psh-script\n"
                  "    script: echo two\n",
                  lab),
            "(applied)");
  EXPECT_EQ(lab.tests[1].points, 5);
  EXPECT_EQ(lab.tests[1].visibility, Visibility::kAfterPublished);
  EXPECT_EQ(lab.tests[0].points, 2);  // The lab's own test is untouched.
  EXPECT_EQ(lab.tests[0].visibility, Visibility::kVisible);
}

TEST(SpecOverlayTest, OverridesPointsAndVisibilityOfAKnownTest) {
  LabSpec lab = BaseLab();
  ASSERT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: one\n"
                  "    points: 7\n"
                  "    visibility: after_published\n",
                  lab),
            "(applied)");
  ASSERT_EQ(lab.tests.size(), 1u);
  EXPECT_EQ(lab.tests[0].points, 7);
  EXPECT_EQ(lab.tests[0].visibility, Visibility::kAfterPublished);
  EXPECT_EQ(lab.tests[0].params.String("script"), "echo one");
}

TEST(SpecOverlayTest, AKnownTestKeepsWhatItChecks) {
  LabSpec lab = BaseLab();
  EXPECT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: one\n"
                  "    script: echo changed\n",
                  lab),
            "hidden.yaml:4:5: test 'one' is already in lab.yaml:4:5: an "
            "overlay may change only its 'points' and 'visibility' (to add a "
            "test, give it an id of its own)");
  EXPECT_EQ(lab.tests[0].params.String("script"), "echo one");
}

TEST(SpecOverlayTest, MistakesArePositionedAndLeaveTheLabAsItWas) {
  LabSpec lab = BaseLab();
  EXPECT_EQ(Apply("lab: other\ntests:\n  - id: x\n", lab),
            "hidden.yaml:1:6: this overlay is for lab 'other', but it is "
            "being applied to lab 'demo'");
  EXPECT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: new\n"
                  "    title: New\n"
                  "    kind: psh-script\n"
                  "    script: echo\n"
                  "  - id: new\n"
                  "    points: 1\n",
                  lab),
            "hidden.yaml:7:9: duplicate test id 'new' in the overlay");
  EXPECT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: one\n"
                  "    visibility: never\n",
                  lab),
            "hidden.yaml:4:17: 'visibility' must be 'visible', 'hidden', "
            "'after_due_date' or 'after_published', not 'never'");
  EXPECT_EQ(Apply("lab: demo\n"
                  "tests:\n"
                  "  - id: ok\n"
                  "    title: Fine\n"
                  "    kind: psh-script\n"
                  "    script: echo\n"
                  "  - id: bad\n"
                  "    title: Bad\n"
                  "    kind: no-such-kind\n",
                  lab)
                .substr(0, 52),
            "hidden.yaml:9:11: unknown probe kind 'no-such-kind' ");
  EXPECT_EQ(Apply("lab: demo\nextra: 1\ntests: []\n", lab),
            "hidden.yaml:2:1: unknown key 'extra' in overlay (allowed: "
            "defaults, lab, tests)");
  EXPECT_EQ(Apply("lab: demo\ntests: [\n", lab).substr(0, 12), "hidden.yaml:");
  // Nothing of the failed overlays was merged.
  ASSERT_EQ(lab.tests.size(), 1u);
  EXPECT_EQ(lab.tests[0].visibility, Visibility::kVisible);
}

TEST(SpecOverlayTest, MissingFileIsAnError) {
  LabSpec lab = BaseLab();
  Status s = ApplyOverlay("/nonexistent/hidden.yaml", BuiltinKinds(), lab);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "/nonexistent/hidden.yaml: cannot read the test overlay");
}

}  // namespace
}  // namespace ipclab
