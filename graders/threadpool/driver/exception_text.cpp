#include "exception_text.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <typeinfo>

namespace pool_driver {

std::string DescribeException(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string type = status == 0 && demangled != nullptr ? demangled : mangled;
  std::free(demangled);
  return type + " (\"" + error.what() + "\")";
}

}  // namespace pool_driver
