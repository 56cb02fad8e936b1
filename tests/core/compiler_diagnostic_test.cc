#include "core/compiler_diagnostic.h"

#include <gtest/gtest.h>

namespace ipclab {
namespace {

TEST(CompilerDiagnosticTest, FirstErrorInTheSubmission) {
  const auto at = FirstCompilerError(
      "psh.cpp: In function 'int main()':\n"
      "psh.cpp:3:7: warning: unused variable 'y' [-Wunused-variable]\n"
      "parse.cpp:12:21: error: 'x' was not declared in this scope\n"
      "psh.cpp:40:1: error: expected '}'\n");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->file, "parse.cpp");
  EXPECT_EQ(at->line, 12);
}

TEST(CompilerDiagnosticTest, FatalErrorAndSubfolder) {
  const auto at = FirstCompilerError(
      "src/psh.cpp:1:10: fatal error: nope.h: No such file or directory\n");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->file, "src/psh.cpp");
  EXPECT_EQ(at->line, 1);
}

// A system header or a file outside the submission is nothing the student
// can open there; the linker's errors name no line.
TEST(CompilerDiagnosticTest, OnlyFilesInsideTheSubmission) {
  EXPECT_FALSE(
      FirstCompilerError("/usr/include/c++/12/bits/stl_vector.h:5:2: error: x\n"
                         "../other/a.cpp:1:1: error: y\n"
                         "/usr/bin/ld: psh.o: undefined reference to `foo'\n"
                         "collect2: error: ld returned 1 exit status\n")
          .has_value());
  EXPECT_FALSE(FirstCompilerError("").has_value());
}

}  // namespace
}  // namespace ipclab
