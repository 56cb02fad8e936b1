// Turns std::terminate into a FAIL line. The usual cause in this lab is an
// exception escaping a task into its worker's thread function (the pool
// does not catch it), which would otherwise end the driver with SIGABRT and
// no verdict; the student gets a FAIL that names the exception instead.
#ifndef IPCLAB_POOL_DRIVER_TERMINATE_HANDLER_HPP_
#define IPCLAB_POOL_DRIVER_TERMINATE_HANDLER_HPP_

namespace pool_driver {

void InstallTerminateHandler();

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_TERMINATE_HANDLER_HPP_
