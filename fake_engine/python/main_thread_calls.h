// Running Python callables on the engine's main thread from other threads
// (RPyC connection threads), with the GIL released while waiting.
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "fake_engine/console/console.h"
#include "fake_engine/core/main_thread_queue.h"

namespace understudy {

// Runs `fn()` on the main thread and returns its result or raises its
// exception: inline on the main thread, otherwise posted and waited for, up
// to `timeout_seconds` (nullopt: forever, as the original). A timeout raises
// Python's TimeoutError; the job still runs later.
// REQUIRES: GIL held (released while waiting).
pybind11::object run_python_on_main_thread(MainThreadQueue& queue, pybind11::object fn,
                                           std::string name, std::optional<double> timeout_seconds);

// Queues `fn()` to run on the main thread and returns at once. An exception it
// raises is logged to the console with its traceback.
// REQUIRES: GIL held.
void post_python_to_main_thread(MainThreadQueue& queue, Console& console, pybind11::object fn,
                                std::string name);

}  // namespace understudy
