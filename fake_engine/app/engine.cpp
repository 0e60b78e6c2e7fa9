#include "fake_engine/app/engine.h"

namespace understudy {

namespace {

std::vector<std::filesystem::path> schemas_of(const std::string& binding,
                                              const std::vector<std::filesystem::path>& project) {
  std::vector<std::filesystem::path> paths{shipped_schema_folder(binding)};
  paths.insert(paths.end(), project.begin(), project.end());
  return paths;
}

}  // namespace

Engine::Engine(const EngineSettings& settings)
    : queue_(affinity_),
      loop_(queue_, affinity_, settings.loop),
      console_([this] { return loop_.current_frame(); }, settings.echo_console),
      model_(schemas_of("unreal", settings.project_schemas)),
      world_(
          affinity_, [this] { return loop_.current_frame(); }, model_.objects()),
      unity_model_(schemas_of("unity", settings.unity_project_schemas)),
      unity_world_(
          affinity_, [this] { return loop_.current_frame(); }, unity_model_.objects()) {
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
