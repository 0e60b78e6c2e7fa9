#include "fake_engine/app/engine_options.h"

#include <CLI/CLI.hpp>

namespace understudy {

std::variant<EngineOptions, EarlyExit> parse_engine_options(int argc, const char* const* argv) {
  EngineOptions options;
  CLI::App app{
      "understudy-engine: a stand-in game engine with a main-thread frame loop, a world of\n"
      "actors, a console and an embedded CPython running the asyncio loop once per tick."};
  app.set_version_flag("--version", std::string(UNDERSTUDY_VERSION));

  double tick_hz = 60.0;
  std::optional<std::uint64_t> frames;
  std::optional<double> seconds;
  bool quiet = false;
  app.add_option("--tick-hz", tick_hz, "Frames per second; 0 runs frames back to back")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            try {
              if (std::stod(value) >= 0) {
                return {};
              }
            } catch (const std::exception&) {
            }
            return "must be a number >= 0 (0 runs frames back to back), got " + value;
          },
          "HZ>=0"))
      ->capture_default_str();
  app.add_flag("--faithful", options.engine.loop.faithful,
               "Behave exactly like the original: main-thread jobs run only at the start of a "
               "frame, for at most 1/90 s");
  app.add_option("--script", options.scripts,
                 "Engine-side Python script to run on the main thread after start (repeatable)")
      ->check(CLI::ExistingFile);
  app.add_option("--frames", frames, "Stop after this many frames")->check(CLI::PositiveNumber);
  app.add_option("--seconds", seconds, "Stop after this many seconds")
      ->check(CLI::PositiveNumber);
  app.add_flag("--quiet", quiet, "Do not echo console records to stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return EarlyExit{0, app.help()};
  } catch (const CLI::CallForVersion&) {
    return EarlyExit{0, std::string(UNDERSTUDY_VERSION)};
  } catch (const CLI::ParseError& e) {
    return EarlyExit{2, "understudy-engine: error: " + std::string(e.what()) +
                            " (see understudy-engine --help)"};
  }
  options.engine.loop.tick_hz = tick_hz;
  options.engine.loop.max_frames = frames;
  if (seconds) {
    options.engine.loop.max_duration =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*seconds));
  }
  options.engine.echo_console = !quiet;
  return options;
}

}  // namespace understudy
