// Names an exception for a message, e.g. `std::runtime_error ("boom")`:
// the student needs the dynamic type to see which throw it was.
#ifndef IPCLAB_POOL_DRIVER_EXCEPTION_TEXT_HPP_
#define IPCLAB_POOL_DRIVER_EXCEPTION_TEXT_HPP_

#include <exception>
#include <string>

namespace pool_driver {

std::string DescribeException(const std::exception& error);

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_EXCEPTION_TEXT_HPP_
