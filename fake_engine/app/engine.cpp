#include "fake_engine/app/engine.h"

namespace understudy {

namespace {

std::vector<std::filesystem::path> schemas_of(const EngineSettings& settings) {
  std::vector<std::filesystem::path> paths{shipped_schema_folder("unreal")};
  paths.insert(paths.end(), settings.project_schemas.begin(), settings.project_schemas.end());
  return paths;
}

}  // namespace

Engine::Engine(const EngineSettings& settings)
    : queue_(affinity_),
      loop_(queue_, affinity_, settings.loop),
      console_([this] { return loop_.current_frame(); }, settings.echo_console),
      model_(schemas_of(settings)),
      world_(
          affinity_, [this] { return loop_.current_frame(); }, model_.objects()) {
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
