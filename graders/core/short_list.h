// Long lists of like items (60 zombie `cat`s, one per stage) said short: a
// few of each kind, then "... and 58 more like this". A student needs to
// see the pattern, not every pid.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ipclab {

struct ListItem {
  std::string kind;  // Items of one kind are alike ("`cat`: a zombie").
  std::string line;  // What is shown for this item, without '\n'.
};

/// Every item's line, indented by `indent`, in order, but at most `keep`
/// of each kind; the rest of a kind become one line "... and N more like
/// this" after its last shown item.
std::string ShortList(const std::vector<ListItem>& items,
                      const std::string& indent, std::size_t keep = 3);

}  // namespace ipclab
