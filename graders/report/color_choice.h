// Whether the console report is coloured. On a terminal by default; CI logs
// that render ANSI colours are not terminals, so the conventions that force
// colour on are honoured, and NO_COLOR (no-color.org) always wins.
#pragma once

namespace ipclab {

/// The environment variables the choice reads; null when unset.
struct ColorEnv {
  const char* no_color = nullptr;     // NO_COLOR
  const char* force_color = nullptr;  // FORCE_COLOR (Node, chalk, ...)
  const char* clicolor_force =
      nullptr;  // CLICOLOR_FORCE (bixense.com/clicolors)
  const char* github_actions = nullptr;  // GITHUB_ACTIONS ("true" in Actions)
  const char* term = nullptr;            // TERM
};

/// In order: NO_COLOR non-empty: off. FORCE_COLOR "0" or "false": off.
/// FORCE_COLOR otherwise set (even empty), CLICOLOR_FORCE non-empty and not
/// "0", or GITHUB_ACTIONS "true" (its log renders colours): on. Otherwise
/// on only on a terminal whose TERM is not "dumb".
bool ChooseColor(bool is_terminal, const ColorEnv& env);

/// The same, reading the variables from the process's environment.
ColorEnv ColorEnvFromEnvironment();

}  // namespace ipclab
