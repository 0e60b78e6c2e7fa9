// TickerRegistry: Python callables the engine calls every frame, as
// UnrealEnginePython's add_ticker/remove_ticker.
//
// A ticker gets the time since it last ran. A truthy return keeps it; a falsy
// return removes it; an exception removes it and is logged with its traceback.
// A ticker with a delay runs once at least that many seconds have passed.
// Tickers added while ticking run from the next frame on.
//
// Handles are plain numbers here; `unreal_engine.add_ticker` wraps them in
// UnrealEnginePython's FDelegateHandle, whose end removes the ticker
// (fake_engine/unreal/script_functions.cpp). remove() may therefore be called
// while a callable is being released, from tick() or clear().
//
// REQUIRES: GIL held for every member; main thread only.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fake_engine/python/embedded_interpreter.h"

namespace understudy {

class TickerRegistry {
 public:
  // `what` is the error's headline ("ticker ... raised").
  using ErrorSink = std::function<void(const std::string& what, const PythonErrorReport& error)>;
  explicit TickerRegistry(ErrorSink on_error) : on_error_(std::move(on_error)) {}

  std::uint64_t add(pybind11::object callable, double delay_seconds);
  bool remove(std::uint64_t handle);  // false if no such live ticker
  void tick(double delta_seconds);
  std::size_t size() const;
  void clear();

 private:
  struct Ticker {
    std::uint64_t handle;
    pybind11::object callable;
    double delay_seconds;
    double elapsed_seconds;
    bool removed;
  };

  ErrorSink on_error_;
  std::vector<Ticker> tickers_;
  std::uint64_t next_handle_ = 1;
};

}  // namespace understudy
