// OUT/index.html: the batch at a glance for an instructor. Static and
// self-contained (inline CSS and SVG, no script, nothing fetched), so it
// opens from a file, a course server or an archive years later.
#pragma once

#include <string>
#include <vector>

#include "batch/batch_record.h"
#include "batch/gradebook.h"

namespace ipclab {

/// Score histogram (ten bins of the maximum), the submissions a limit
/// ended, one row per student linking to their reports, each test's pass
/// rate with the most-failed first, and the slowest tests. The elements a test
/// checks carry data- attributes: each histogram bar `data-count`, each
/// student row `data-student`.
std::string RenderDashboard(const std::string& lab,
                            const std::vector<BatchRecord>& records,
                            const std::vector<GradebookColumn>& columns);

}  // namespace ipclab
