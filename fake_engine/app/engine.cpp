#include "fake_engine/app/engine.h"

namespace understudy {

Engine::Engine(const EngineSettings& settings)
    : queue_(affinity_),
      loop_(queue_, affinity_, settings.loop),
      console_([this] { return loop_.current_frame(); }, settings.echo_console),
      world_(affinity_, [this] { return loop_.current_frame(); }) {
  affinity_.claim();
  loop_.set_error_sink([this](const std::string& task, const std::string& what) {
    console_.error("frame task '" + task + "' failed: " + what);
  });
}

void Engine::finish() {
  queue_.close();
  queue_.drain();
}

}  // namespace understudy
