#include "report/color_choice.h"

#include <gtest/gtest.h>

namespace ipclab {
namespace {

ColorEnv Env(const char* no_color, const char* force_color,
             const char* clicolor_force, const char* github_actions,
             const char* term = "xterm") {
  return {no_color, force_color, clicolor_force, github_actions, term};
}

TEST(ColorChoiceTest, TerminalByDefault) {
  EXPECT_TRUE(ChooseColor(true, Env(nullptr, nullptr, nullptr, nullptr)));
  EXPECT_FALSE(ChooseColor(false, Env(nullptr, nullptr, nullptr, nullptr)));
  EXPECT_FALSE(
      ChooseColor(true, Env(nullptr, nullptr, nullptr, nullptr, "dumb")));
}

// CI logs are not terminals, but GitHub's renders colours, and the
// FORCE_COLOR and CLICOLOR_FORCE conventions ask for them anywhere.
TEST(ColorChoiceTest, ForcedOnWhereLogsRenderIt) {
  EXPECT_TRUE(ChooseColor(false, Env(nullptr, "1", nullptr, nullptr)));
  EXPECT_TRUE(ChooseColor(false, Env(nullptr, "", nullptr, nullptr)));
  EXPECT_TRUE(ChooseColor(false, Env(nullptr, "3", nullptr, nullptr, "dumb")));
  EXPECT_TRUE(ChooseColor(false, Env(nullptr, nullptr, "1", nullptr)));
  EXPECT_TRUE(ChooseColor(false, Env(nullptr, nullptr, nullptr, "true")));
  EXPECT_FALSE(ChooseColor(false, Env(nullptr, nullptr, "0", nullptr)));
  EXPECT_FALSE(ChooseColor(false, Env(nullptr, nullptr, "", nullptr)));
  EXPECT_FALSE(ChooseColor(false, Env(nullptr, nullptr, nullptr, "false")));
}

TEST(ColorChoiceTest, ForceColorZeroTurnsItOff) {
  EXPECT_FALSE(ChooseColor(true, Env(nullptr, "0", nullptr, nullptr)));
  EXPECT_FALSE(ChooseColor(true, Env(nullptr, "false", "1", "true")));
}

// no-color.org: a non-empty NO_COLOR wins over every way of forcing.
TEST(ColorChoiceTest, NoColorAlwaysWins) {
  EXPECT_FALSE(ChooseColor(true, Env("1", "1", "1", "true")));
  EXPECT_FALSE(ChooseColor(false, Env("0", nullptr, nullptr, "true")));
  EXPECT_TRUE(ChooseColor(false, Env("", nullptr, nullptr, "true")));
}

}  // namespace
}  // namespace ipclab
