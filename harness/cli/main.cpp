// understudy: runs scenario suites against the stand-in engine.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "harness/process/child_process.h"
#include "harness/run/suite_runner.h"
#include "reports/report_set.h"

using namespace understudy;
using namespace understudy::harness;

namespace {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// SIGINT/SIGTERM: stop every child by its process group, then exit. Only
// async-signal-safe work here: kill(2) on the recorded pids.
void on_terminate(int signal) {
  ChildProcess::kill_all_children();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

int parse_shard(const std::string& text, Selection& selection) {
  const auto slash = text.find('/');
  try {
    if (slash == std::string::npos) {
      throw std::invalid_argument(text);
    }
    selection.shard_index = std::stoi(text.substr(0, slash)) - 1;
    selection.shard_count = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    std::cerr << "understudy: error: --shard takes I/N with 1 <= I <= N, got '" << text << "'\n";
    return kExitUsage;
  }
  if (selection.shard_count < 1 || selection.shard_index < 0 ||
      selection.shard_index >= selection.shard_count) {
    std::cerr << "understudy: error: --shard takes I/N with 1 <= I <= N, got '" << text << "'\n";
    return kExitUsage;
  }
  return kExitPassed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "understudy: runs scenario suites against the stand-in engine.\n\n"
      "A scenario (a TOML file, see scenarios/README.md) starts a fresh engine, real client\n"
      "processes and, when it needs one, a private redis-server; runs its steps (calls on the\n"
      "sync, coroutine and async paths, faults, waits) and checks its expectations. Every run\n"
      "writes JUnit XML, JSON, a self-contained HTML report and Chrome traces.\n\n"
      "Examples:\n"
      "  understudy run scenarios/                      the suite (all but tag 'slow')\n"
      "  understudy run scenarios/ --tag deadlock -j2   deadlock scenarios, two at a time\n"
      "  understudy run scenarios/x.toml --repeat 50    hunt a flaky interleaving\n"
      "  understudy list scenarios/ --shard 1/3         what shard 1 of 3 would run\n\n"
      "Exit codes: 0 all passed, 1 some failed, 2 usage or scenario-file errors."};
  app.require_subcommand(1);

  std::vector<std::filesystem::path> paths;
  std::string filter;
  std::vector<std::string> tags;
  std::string shard;
  int repeat = 1;
  int jobs = 1;
  std::uint64_t seed = 1;
  std::filesystem::path report_dir = "understudy-reports";
  std::filesystem::path engine = UNDERSTUDY_ENGINE_BINARY;
  if (const char* e = std::getenv("UNDERSTUDY_ENGINE"); e != nullptr && *e) {
    engine = e;
  }

  auto add_selection = [&](CLI::App* sub) {
    sub->add_option("paths", paths, "Scenario files or folders")->required();
    sub->add_option("--filter", filter, "Only scenarios whose name matches this regex");
    sub->add_option("--tag", tags,
                    "Only scenarios with this tag (repeatable; default: all but 'slow')");
    sub->add_option("--shard", shard,
                    "Run shard I of N (1-based), e.g. 2/4; default from TEST_SHARD_INDEX (0-based) "
                    "and TEST_TOTAL_SHARDS");
  };
  auto* run = app.add_subcommand("run", "Run scenarios and write reports");
  add_selection(run);
  run->add_option("--repeat", repeat, "Run each scenario N times")->check(CLI::PositiveNumber);
  run->add_option("--jobs,-j", jobs, "Scenarios to run in parallel (each on its own ports)")
      ->check(CLI::PositiveNumber);
  run->add_option("--seed", seed, "Seed for clients' randomness (repeat r uses seed + r)");
  run->add_option("--report-dir", report_dir, "Where reports and logs go")->capture_default_str();
  run->add_option("--engine", engine, "The understudy-engine binary")->capture_default_str();
  std::string redis_url;
  run->add_option("--redis-url", redis_url,
                  "Use this Redis (redis://HOST:PORT) for scenarios that need one, instead of a "
                  "private redis-server each; faults that stop or restart Redis then fail");
  auto* list = app.add_subcommand("list", "List the scenarios a run would select");
  add_selection(list);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitPassed : kExitUsage;
  }

  Selection selection;
  selection.tags = tags;
  if (!filter.empty()) {
    try {
      selection.filter = std::regex(filter);
    } catch (const std::regex_error& e) {
      std::cerr << "understudy: error: --filter '" << filter
                << "' is not a valid regex: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  if (!shard.empty()) {
    if (const int code = parse_shard(shard, selection); code != kExitPassed) {
      return code;
    }
  } else if (const char* total = std::getenv("TEST_TOTAL_SHARDS"); total != nullptr && *total) {
    const char* index = std::getenv("TEST_SHARD_INDEX");
    if (parse_shard(std::to_string(std::atoi(index != nullptr ? index : "0") + 1) + "/" + total,
                    selection) != kExitPassed) {
      return kExitUsage;
    }
    if (const char* status = std::getenv("TEST_SHARD_STATUS_FILE"); status != nullptr && *status) {
      std::ofstream(status).flush();  // tells Bazel this runner understands sharding
    }
  }

  std::vector<std::string> problems;
  const auto all = load_scenarios(find_scenario_files(paths), problems);
  if (!problems.empty()) {
    for (const auto& problem : problems) {
      std::cerr << "understudy: error: " << problem << "\n";
    }
    return kExitUsage;
  }
  const auto chosen = select(all, selection);

  if (list->parsed()) {
    for (const auto& scenario : chosen) {
      std::cout << scenario.name << "\t" << scenario.file.string();
      for (const auto& tag : scenario.tags) {
        std::cout << (&tag == &scenario.tags.front() ? "\t" : ",") << tag;
      }
      std::cout << "\n";
    }
    return kExitPassed;
  }
  if (chosen.empty()) {
    std::cerr << "understudy: error: no scenario selected (" << all.size()
              << " found; check --filter, --tag and --shard)\n";
    return kExitUsage;
  }
  if (!std::filesystem::exists(engine)) {
    std::cerr << "understudy: error: engine binary " << engine
              << " not found (build it, or pass --engine)\n";
    return kExitUsage;
  }

  std::signal(SIGINT, on_terminate);
  std::signal(SIGTERM, on_terminate);
  std::signal(SIGPIPE, SIG_IGN);

  SuiteOptions options;
  options.selection = selection;
  options.repeat = repeat;
  options.jobs = jobs;
  options.seed = seed;
  options.run.engine_binary = std::filesystem::absolute(engine);
  options.run.python = UNDERSTUDY_PYTHON_EXECUTABLE;
  options.run.client_pylib = UNDERSTUDY_CLIENT_PYLIB;
  if (!redis_url.empty()) {
    options.run.redis_url = redis_url;
  }
  options.run.work_dir = std::filesystem::absolute(report_dir) / "runs";
  options.live_progress = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  std::error_code ignored;
  std::filesystem::remove_all(options.run.work_dir, ignored);

  std::cout << "understudy: running " << chosen.size() << " scenario(s)"
            << (repeat > 1 ? " x " + std::to_string(repeat) : "") << " with " << jobs
            << " job(s); reports in " << report_dir.string() << "\n";
  auto suite = run_suite(chosen, options, std::cout);
  suite.command_line = [&] {
    std::string text;
    for (int i = 0; i < argc; ++i) {
      text += (i ? " " : "") + std::string(argv[i]);
    }
    return text;
  }();
  reports::write_reports(suite, report_dir);
  const auto passed = suite.count(reports::Status::kPassed);
  const auto failed = suite.scenarios.size() - passed;
  std::cout << "understudy: reports: " << (report_dir / "report.html").string() << ", "
            << (report_dir / "junit.xml").string() << "\n";
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitPassed : kExitFailed;
}
