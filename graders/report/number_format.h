// Numbers as reports print them. Everything goes through std::to_chars, so a
// grader started under a comma-decimal locale still writes "0.120", which
// JUnit consumers parse; printf and pugixml's double setter follow the
// process locale.
#pragma once

#include <string>

namespace ipclab {

/// `value` with exactly `decimals` digits after a '.'. NaN and infinities
/// print as zero, and so does anything that rounds to zero (no "-0.000").
std::string FormatFixed(double value, int decimals);

/// Points for people: at most two decimals, no trailing zeros ("20", "7.5",
/// "0.33").
std::string FormatPoints(double value);

/// `value` rounded to four decimals, and zero if it is not finite: a number
/// safe to put in JSON (which has no NaN) without 0.30000000000000004 noise.
double RoundForJson(double value);

}  // namespace ipclab
