// "Did you mean": the closest names to a word that named nothing (a
// mistyped test id or lab), so a typo is a usage error that helps.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ipclab {

/// Levenshtein distance: insertions, deletions and substitutions of bytes.
std::size_t EditDistance(std::string_view a, std::string_view b);

/// Up to `count` candidates nearest to `word` by edit distance, nearest
/// first, ties in the candidates' order.
std::vector<std::string> Closest(std::string_view word,
                                 const std::vector<std::string>& candidates,
                                 std::size_t count = 3);

/// "a, b and c".
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace ipclab
