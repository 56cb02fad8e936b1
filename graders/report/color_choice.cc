#include "report/color_choice.h"

#include <cstdlib>
#include <cstring>

namespace ipclab {
namespace {

bool Is(const char* value, const char* want) {
  return value != nullptr && std::strcmp(value, want) == 0;
}

bool NonEmpty(const char* value) { return value != nullptr && *value; }

}  // namespace

bool ChooseColor(bool is_terminal, const ColorEnv& env) {
  if (NonEmpty(env.no_color)) return false;
  if (Is(env.force_color, "0") || Is(env.force_color, "false")) return false;
  if (env.force_color != nullptr) return true;
  if (NonEmpty(env.clicolor_force) && !Is(env.clicolor_force, "0")) {
    return true;
  }
  if (Is(env.github_actions, "true")) return true;
  return is_terminal && !Is(env.term, "dumb");
}

ColorEnv ColorEnvFromEnvironment() {
  return {std::getenv("NO_COLOR"), std::getenv("FORCE_COLOR"),
          std::getenv("CLICOLOR_FORCE"), std::getenv("GITHUB_ACTIONS"),
          std::getenv("TERM")};
}

}  // namespace ipclab
