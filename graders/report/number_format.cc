#include "report/number_format.h"

#include <charconv>
#include <cmath>

namespace ipclab {

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value) ||
      std::abs(value) < 0.5 * std::pow(10.0, -decimals)) {
    value = 0;
  }
  // Enough for any double in fixed notation (up to ~1.8e308) plus decimals.
  char buffer[400];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                       std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "0";
  return std::string(buffer, end);
}

std::string FormatPoints(double value) {
  std::string text = FormatFixed(value, 2);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

double RoundForJson(double value) {
  if (!std::isfinite(value)) return 0;
  const double rounded = std::round(value * 1e4) / 1e4;
  return std::isfinite(rounded) ? rounded : value;
}

}  // namespace ipclab
