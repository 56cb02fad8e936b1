#include "core/short_list.h"

#include <map>

namespace ipclab {

std::string ShortList(const std::vector<ListItem>& items,
                      const std::string& indent, std::size_t keep) {
  std::map<std::string, std::size_t> total;
  for (const ListItem& item : items) ++total[item.kind];
  std::map<std::string, std::size_t> shown;
  std::string out;
  for (const ListItem& item : items) {
    const std::size_t n = ++shown[item.kind];
    if (n <= keep) out += indent + item.line + "\n";
    // The summary goes where the kind's last shown item was, so it reads
    // as part of that group.
    if (n == keep && total[item.kind] > keep) {
      out += indent + "... and " + std::to_string(total[item.kind] - keep) +
             " more like this\n";
    }
  }
  return out;
}

}  // namespace ipclab
