// What the tests that run the real `ipclab` binary share: a scratch
// directory to write labs and hostile programs into, and one way to start
// the grader (from the source tree, with room for its output, and with the
// grader's own limits, not the launcher's, applying inside).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/launcher.h"
#include "core/paths.h"

namespace ipclab {

class ScratchDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "ipclab-test-XXXXXX");
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& name, const std::string& text,
                              bool executable = false) {
    std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    if (executable) chmod(p.c_str(), 0755);
    return p;
  }

  std::filesystem::path dir_;
};

/// Runs build/bin/ipclab with `args` from the source directory.
inline LaunchResult RunIpclab(const std::vector<std::string>& args,
                              std::chrono::seconds timeout) {
  LaunchSpec spec;
  spec.argv = {(BinDir() / "ipclab").string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = SourceDir();
  spec.timeout = timeout;
  spec.output_cap = 8 << 20;
  spec.limits.processes = 0;  // The grader's own limits apply inside.
  auto r = Launch(spec);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : LaunchResult{};
}

}  // namespace ipclab
