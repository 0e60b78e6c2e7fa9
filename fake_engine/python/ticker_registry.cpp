#include "fake_engine/python/ticker_registry.h"

#include <algorithm>

#include "fake_engine/python/embedded_interpreter.h"

namespace py = pybind11;

namespace understudy {

std::uint64_t TickerRegistry::add(py::object callable, double delay_seconds) {
  const auto handle = next_handle_++;
  tickers_.push_back(Ticker{handle, std::move(callable), delay_seconds, 0.0, false});
  return handle;
}

bool TickerRegistry::remove(std::uint64_t handle) {
  for (auto& ticker : tickers_) {
    if (ticker.handle == handle && !ticker.removed) {
      ticker.removed = true;
      return true;
    }
  }
  return false;
}

void TickerRegistry::tick(double delta_seconds) {
  // Index loop: a ticker may add tickers (reallocating the vector); those
  // start next frame.
  const std::size_t count = tickers_.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (tickers_[i].removed) {
      continue;
    }
    tickers_[i].elapsed_seconds += delta_seconds;
    if (tickers_[i].elapsed_seconds < tickers_[i].delay_seconds) {
      continue;
    }
    const double elapsed = tickers_[i].elapsed_seconds;
    tickers_[i].elapsed_seconds = 0;
    const py::object callable = tickers_[i].callable;  // keep alive while it runs
    try {
      const bool keep = py::bool_(callable(elapsed));
      if (!keep) {
        tickers_[i].removed = true;
      }
    } catch (py::error_already_set& e) {
      tickers_[i].removed = true;
      on_error_("ticker " + py::repr(callable).cast<std::string>() + " raised and was removed",
                describe_python_error(e));
    }
  }
  // A callable's last reference may be what keeps a ticker handle alive, and
  // a dropped handle calls remove(): release the callables only once the
  // vector is consistent again.
  std::vector<py::object> released;
  for (auto& ticker : tickers_) {
    if (ticker.removed) {
      released.push_back(std::move(ticker.callable));
    }
  }
  std::erase_if(tickers_, [](const Ticker& t) { return t.removed; });
  released.clear();
}

std::size_t TickerRegistry::size() const {
  return static_cast<std::size_t>(
      std::count_if(tickers_.begin(), tickers_.end(), [](const Ticker& t) { return !t.removed; }));
}

void TickerRegistry::clear() {
  // As in tick(): releasing a callable may call remove() on this registry.
  auto released = std::move(tickers_);
  tickers_.clear();
  released.clear();
}

}  // namespace understudy
