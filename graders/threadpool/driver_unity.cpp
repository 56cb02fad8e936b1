// One translation unit for the whole scenario driver. The grader compiles
// the driver with every submission, three times (plain, TSan, ASan+UBSan);
// one large unit instead of fifteen small ones cuts that build several-fold
// (the headers are parsed once per variant, not once per file).
#include "driver/exception_text.cpp"
#include "driver/main.cpp"
#include "driver/observe.cpp"
#include "driver/observed_call.cpp"
#include "driver/pool_calls.cpp"
#include "driver/report.cpp"
#include "driver/scenarios_blocking.cpp"
#include "driver/scenarios_correctness.cpp"
#include "driver/scenarios_fifo.cpp"
#include "driver/scenarios_resources.cpp"
#include "driver/scenarios_stress.cpp"
#include "driver/scenarios_wait.cpp"
#include "driver/shim_link.cpp"
#include "driver/tally.cpp"
#include "driver/terminate_handler.cpp"
#include "driver/watchdog.cpp"
