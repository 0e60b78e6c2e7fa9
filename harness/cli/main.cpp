// understudy: runs scenario suites against the stand-in engine.
// Over 500 lines: main() is the CLI11 definition of every subcommand and
// option, one list a user's --help follows; each subcommand's work lives in
// its own folder (run/, stress/, steps/, reports/).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "common/child_process.h"
#include "common/install_layout.h"
#include "common/text_format.h"
#include "harness/cli/number_checks.h"
#include "harness/cli/stop_signals.h"
#include "harness/run/private_folder.h"
#include "harness/run/suite_runner.h"
#include "harness/steps/step_catalog.h"
#include "harness/stress/stress_runner.h"
#include "harness/stress/stress_verdict.h"
#include "protocol/messages.h"
#include "reports/report_set.h"
#include "reports/stress_writer.h"

using namespace understudy;
using namespace understudy::harness;
using understudy::cli::StopSignals;

namespace {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// True when the reports can go to `dir` (and its `subfolders`); else prints
// why not.
bool report_dir_usable(const std::filesystem::path& dir,
                       const std::vector<std::string>& subfolders) {
  const auto problem = reports::report_dir_problem(dir, subfolders);
  if (problem.empty()) {
    return true;
  }
  std::cerr << "understudy: error: cannot write reports to " << dir.string() << ": " << problem
            << "\n";
  return false;
}

// Where understudy_client and the stress workers are: harness/pylib in the
// source tree, or the Python folder the install put them in (where Debian's
// python3 finds them anyway).
std::filesystem::path client_pylib() {
  return InstallLayout::locate(UNDERSTUDY_INSTALL_PYTHONDIR, UNDERSTUDY_CLIENT_PYLIB);
}

// Python for Unity's package folder for this run: `given` (--pfu-package),
// else $UNDERSTUDY_PFU_PACKAGE, absolute; empty when none is given and no
// chosen scenario needs one. nullopt, with the reason printed, when a
// scenario needs it and there is none, or it is not PfU's package.
std::optional<std::filesystem::path> pfu_package_for(const std::vector<Scenario>& chosen,
                                                     std::string given) {
  if (given.empty()) {
    if (const char* env = std::getenv("UNDERSTUDY_PFU_PACKAGE"); env != nullptr) {
      given = env;
    }
  }
  if (given.empty()) {
    for (const auto& scenario : chosen) {
      if (scenario.needs_pfu_package()) {
        std::cerr << "understudy: error: scenario '" << scenario.name << "' ("
                  << scenario.file.string()
                  << ") runs Python for Unity's own files (a client of kind \"pfu\", or "
                     "{pfu_package}), but no PfU package was given: pass --pfu-package DIR (the "
                     "com.unity.scripting.python folder) or set UNDERSTUDY_PFU_PACKAGE\n";
        return std::nullopt;
      }
    }
    return std::filesystem::path();
  }
  const auto package = std::filesystem::absolute(given);
  const auto client =
      package / "Python~" / "site-packages" / "unity_python" / "client" / "unity_client.py";
  std::error_code error;
  if (!std::filesystem::is_regular_file(client, error)) {
    std::cerr << "understudy: error: --pfu-package " << package.string()
              << " is not Python for Unity's package: no " << client.string() << "\n";
    return std::nullopt;
  }
  return package;
}

// "run, list, stress": every subcommand of `app`, in the order added.
std::string command_names(CLI::App& app) {
  std::string names;
  for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return names;
}

// The first word that is not an option, when it names no subcommand of
// `app`: an error naming it and the commands there are. True if it did.
bool reject_unknown_command(int argc, char** argv, CLI::App& app) {
  if (argc < 2 || argv[1][0] == '-') {
    return false;
  }
  const std::string word = argv[1];
  for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->check_name(word)) {
      return false;
    }
  }
  std::cerr << "understudy: error: unknown command '" << word
            << "' (commands: " << command_names(app) << ")\n";
  return true;
}

std::string joined_command_line(int argc, char** argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) {
    text += (i ? " " : "") + std::string(argv[i]);
  }
  return text;
}

// "understudy: interrupted by SIGINT after 3 of 10 scenarios: 2 passed, 1
// failed, 7 not run", where not run counts the interrupted and the skipped.
std::string interruption_summary(const reports::SuiteResult& suite) {
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const auto& scenario : suite.scenarios) {
    if (scenario.failure_kind == reports::FailureKind::kInterrupted ||
        scenario.status == reports::Status::kSkipped) {
      continue;
    }
    ++(scenario.status == reports::Status::kPassed ? passed : failed);
  }
  const auto total = suite.scenarios.size();
  return "understudy: interrupted by " + suite.interrupted_by + " after " +
         std::to_string(passed + failed) + " of " + std::to_string(total) +
         " scenarios: " + std::to_string(passed) + " passed, " + std::to_string(failed) +
         " failed, " + std::to_string(total - passed - failed) + " not run";
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
      "  understudy list scenarios/ --shard 1/3         what shard 1 of 3 would run\n"
      "  understudy stress --clients 1,16,64            throughput and latency against "
      "baselines\n\n"
      "Exit codes: 0 all passed, 1 some failed, 2 usage or scenario-file errors."};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("understudy ") + UNDERSTUDY_VERSION);

  std::vector<std::filesystem::path> paths;
  std::string filter;
  std::vector<std::string> tags;
  std::string shard;
  int repeat = 1;
  int jobs = 1;
  std::uint64_t seed = 1;
  std::filesystem::path report_dir = "understudy-reports";
  // Installed, the engine is the one beside this program.
  std::filesystem::path engine =
      InstallLayout::locate("bin/understudy-engine", UNDERSTUDY_ENGINE_BINARY);
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
  run->add_option("--repeat", repeat, "Run each scenario N times")
      ->check(cli::whole_number("--repeat", 1));
  run->add_option("--jobs,-j", jobs, "Scenarios to run in parallel (each on its own ports)")
      ->check(cli::whole_number("--jobs", 1));
  run->add_option("--seed", seed, "Seed for clients' randomness (repeat r uses seed + r)")
      ->check(cli::non_negative_integer("--seed"));
  run->add_option("--report-dir", report_dir,
                  "Where reports and logs go (a relative path is from the current folder); "
                  "the reports name the logs relative to it, so the folder can be moved")
      ->capture_default_str();
  run->add_option("--engine", engine, "The understudy-engine binary")->capture_default_str();
  std::string redis_url;
  run->add_option("--redis-url", redis_url,
                  "Use this Redis (redis://HOST:PORT) for scenarios that need one, instead of a "
                  "private redis-server each; faults that stop or restart Redis then fail");
  std::string pfu_package;
  run->add_option("--pfu-package", pfu_package,
                  "Python for Unity 2.x's package folder (com.unity.scripting.python, with "
                  "Python~/site-packages), for scenarios whose clients are plain PfU scripts "
                  "(kind = \"pfu\") or that name {pfu_package}; default $UNDERSTUDY_PFU_PACKAGE");
  auto* list = app.add_subcommand("list", "List the scenarios a run would select");
  add_selection(list);

  StressOptions stress_options;
  std::string stress_clients = "8";
  std::string engine_paths = "sync,coroutine,async";
  double stress_seconds = 5;
  bool no_plain = false;
  bool no_loopback = false;
  auto* stress = app.add_subcommand(
      "stress",
      "Load the engine with many client processes on every call path, beside a plain RPyC "
      "server and raw loopback TCP doing the same, and report throughput, latency "
      "percentiles, frame times, memory per client and the ratios");
  stress
      ->add_option("--clients", stress_clients,
                   "Client counts, one step each: 64, or a sweep 1,4,16,64")
      ->capture_default_str();
  stress
      ->add_option("--connections-per-process", stress_options.connections_per_process,
                   "Clients per worker process (a thousand clients fit in a few dozen "
                   "processes)")
      ->check(cli::whole_number("--connections-per-process", 1))
      ->capture_default_str();
  stress
      ->add_option("--mix", stress_options.mix,
                   "Client-to-engine paths and weights: execute (needs the main thread), cheap "
                   "(root.list, on the connection thread), pipeline (rpyc.async_ calls in "
                   "flight); '' for none")
      ->capture_default_str();
  stress
      ->add_option("--rate", stress_options.rate,
                   "Client paths: calls per second per client, open loop (latency from each "
                   "call's due time); 0 = closed loop")
      ->check(cli::non_negative_number("--rate", "closed loop"))
      ->capture_default_str();
  stress
      ->add_option("--pipeline-depth", stress_options.pipeline_depth,
                   "rpyc.async_ calls in flight per pipeline")
      ->check(cli::whole_number("--pipeline-depth", 1))
      ->capture_default_str();
  stress
      ->add_option("--engine-paths", engine_paths,
                   "Engine-to-client paths: any of sync,coroutine,async, or none")
      ->capture_default_str();
  stress
      ->add_option("--engine-rate", stress_options.engine_rate,
                   "Engine paths: calls per second per path in all, open loop; 0 = closed loop")
      ->check(cli::non_negative_number("--engine-rate", "closed loop"))
      ->capture_default_str();
  stress
      ->add_option("--engine-depth", stress_options.engine_depth,
                   "Engine paths, closed loop: calls in flight per client (coroutine, async)")
      ->check(cli::whole_number("--engine-depth", 1))
      ->capture_default_str();
  stress->add_option("--duration", stress_seconds, "Seconds of load per step")
      ->check(cli::positive_number("--duration", "seconds"))
      ->capture_default_str();
  stress->add_option("--tick-hz", stress_options.tick_hz, "The engine's frame rate")
      ->check(cli::non_negative_number("--tick-hz", "as fast as possible"))
      ->capture_default_str();
  stress->add_flag("--faithful", stress_options.faithful,
                   "Run the engine as the original does (requests wait for a frame)");
  stress
      ->add_option("--engine-arg", stress_options.engine_args,
                   "A further understudy-engine flag (repeatable), e.g. "
                   "--engine-arg=--gil-switch-interval=0.001")
      ->allow_extra_args(false);
  stress->add_flag("--no-plain", no_plain, "Skip the plain RPyC baseline");
  stress->add_flag("--no-loopback", no_loopback, "Skip the loopback TCP baseline");
  stress
      ->add_option("--spawn", stress_options.spawn,
                   "fork: worker processes forked from a launcher that imported rpyc once; "
                   "exec: each its own interpreter")
      ->check(CLI::IsMember({"fork", "exec"}))
      ->capture_default_str();
  stress->add_option("--seed", stress_options.seed, "Seed for the clients' path choices")
      ->check(cli::non_negative_integer("--seed"));
  stress
      ->add_option("--report-dir", report_dir,
                   "Where stress.json, stress.html and the logs (stress-logs/) go (a relative "
                   "path is from the current folder)")
      ->capture_default_str();
  stress->add_option("--engine", engine, "The understudy-engine binary")->capture_default_str();

  // `understudy steps`: the steps reference, printed from the step catalog
  // (or written into FILE between its markers); done while parsing.
  std::string steps_update;
  auto* steps_reference = app.add_subcommand(
      "steps", "Print the reference of scenario steps and tables (Markdown, from the catalog)");
  steps_reference->add_option("--update", steps_update,
                              "Rewrite the reference between the markers of this Markdown file "
                              "(scenarios/README.md)");
  steps_reference->callback([&steps_update] {
    if (steps_update.empty()) {
      steps::print_step_reference(std::cout);
      throw CLI::Success();
    }
    try {
      steps::update_step_reference(steps_update);
    } catch (const std::runtime_error& e) {
      std::cerr << "understudy: error: " << e.what() << "\n";
      throw CLI::RuntimeError(kExitUsage);
    }
    throw CLI::Success();
  });

  if (reject_unknown_command(argc, argv, app)) {
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ValidationError& e) {
    std::cerr << "understudy: error: " << cli::validation_message(e) << "\n";
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitPassed : kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    std::cerr << app.help() << "understudy: error: a command is required (" << command_names(app)
              << ")\n";
    return kExitUsage;
  }

  if (stress->parsed()) {
    stress_options.clients.clear();
    std::stringstream list_text(stress_clients);
    for (std::string item; std::getline(list_text, item, ',');) {
      char* end = nullptr;
      const long n = std::strtol(item.c_str(), &end, 10);
      if (item.empty() || *end != '\0' || n < 1 || n > 100000) {
        std::cerr << "understudy: error: --clients takes counts like 64 or 1,4,16,64, got '"
                  << stress_clients << "'\n";
        return kExitUsage;
      }
      stress_options.clients.push_back(static_cast<int>(n));
    }
    std::stringstream mix_text(stress_options.mix);
    for (std::string item; std::getline(mix_text, item, ',');) {
      const auto colon = item.find(':');
      const auto name = item.substr(0, colon);
      if (name != "execute" && name != "cheap" && name != "pipeline") {
        std::cerr << "understudy: error: unknown client path '" << name
                  << "' in --mix (execute, cheap, pipeline)\n";
        return kExitUsage;
      }
      if (colon != std::string::npos) {
        char* end = nullptr;
        const double weight = std::strtod(item.c_str() + colon + 1, &end);
        if (*end != '\0' || !(weight > 0)) {
          std::cerr << "understudy: error: --mix weight of '" << name
                    << "' must be a positive number, got '" << item.substr(colon + 1) << "'\n";
          return kExitUsage;
        }
      }
    }
    stress_options.engine_paths.clear();
    if (engine_paths != "none" && !engine_paths.empty()) {
      std::stringstream paths_text(engine_paths);
      for (std::string item; std::getline(paths_text, item, ',');) {
        if (!protocol::call_path_from_name(item)) {
          std::cerr << "understudy: error: --engine-paths takes sync, coroutine, async or none, "
                       "got '"
                    << item << "'\n";
          return kExitUsage;
        }
        stress_options.engine_paths.push_back(item);
      }
    }
    if (!std::filesystem::exists(engine)) {
      std::cerr << "understudy: error: engine binary " << engine
                << " not found (build it, or pass --engine)\n";
      return kExitUsage;
    }
    if (!report_dir_usable(report_dir, {"stress-logs"})) {
      return kExitUsage;
    }
    const StopSignals stop_signals(StopSignals::Mode::kExit);
    std::signal(SIGPIPE, SIG_IGN);
    stress_options.duration =
        std::chrono::milliseconds(static_cast<std::int64_t>(stress_seconds * 1000));
    stress_options.plain_baseline = !no_plain;
    stress_options.loopback_baseline = !no_loopback;
    stress_options.engine_binary = std::filesystem::absolute(engine);
    stress_options.python = UNDERSTUDY_PYTHON_EXECUTABLE;
    stress_options.pylib = client_pylib();
    stress_options.work_dir = std::filesystem::absolute(report_dir) / "stress-logs";
    stress_options.live_progress = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
    std::error_code ignored;
    std::filesystem::remove_all(stress_options.work_dir, ignored);
    std::cout << "understudy stress: reports in " << report_dir.string() << ", logs in "
              << (report_dir / "stress-logs").string() << "\n";
    auto report = run_stress(stress_options, std::cout);
    report.command_line = joined_command_line(argc, argv);
    try {
      reports::write_stress_reports(report, report_dir);
    } catch (const std::exception& e) {
      std::cerr << "understudy: error: cannot write reports to " << report_dir.string() << ": "
                << e.what() << "\n";
      return kExitUsage;
    }
    print_verdicts(std::cout, report);
    if (report.verdicts.empty() && !report.comparisons.empty()) {
      std::cout << "understudy stress: against the baselines (engine / baseline)\n";
      for (const auto& c : report.comparisons) {
        std::cout << "  " << c.clients << " clients, " << c.what << " vs " << c.baseline << ": "
                  << text::significant(c.ratio) << "\n";
      }
    }
    std::cout << "understudy: reports: " << (report_dir / "stress.html").string() << ", "
              << (report_dir / "stress.json").string() << "\n";
    return report.failed ? kExitFailed : kExitPassed;
  }

  Selection selection;
  selection.tags = tags;
  if (!filter.empty()) {
    try {
      selection.filter = std::regex(filter);
      selection.filter_text = filter;
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

  if (!report_dir_usable(report_dir, {"traces", "runs"})) {
    return kExitUsage;
  }
  const auto package = pfu_package_for(chosen, pfu_package);
  if (!package) {
    return kExitUsage;
  }
  reports::remove_previous_reports(report_dir);

  StopSignals stop_signals(StopSignals::Mode::kWindDown);
  std::signal(SIGPIPE, SIG_IGN);

  SuiteOptions options;
  options.stop_signal = &stop_signals.signal();
  options.selection = selection;
  options.repeat = repeat;
  options.jobs = jobs;
  options.seed = seed;
  options.run.engine_binary = std::filesystem::absolute(engine);
  options.run.python = UNDERSTUDY_PYTHON_EXECUTABLE;
  options.run.client_pylib = client_pylib();
  if (!redis_url.empty()) {
    options.run.redis_url = redis_url;
  }
  if (!package->empty()) {
    options.run.pfu_package = *package;
  }
  options.run.work_dir = std::filesystem::absolute(report_dir) / "runs";
  options.live_progress = isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  std::error_code ignored;
  std::filesystem::remove_all(options.run.work_dir, ignored);

  std::cout << "understudy: running " << chosen.size() << " scenario(s)"
            << (repeat > 1 ? " x " + std::to_string(repeat) : "") << " with " << jobs
            << " job(s); reports in " << report_dir.string() << "\n";
  const auto left_out = excluded(all, selection);
  for (const auto& group : left_out) {
    std::cout << "understudy: " << reports::describe(group) << "\n";
  }
  std::cout << std::flush;
  auto suite = run_suite(chosen, options, std::cout);
  suite.command_line = joined_command_line(argc, argv);
  suite.excluded = left_out;
  int code = kExitPassed;
  try {
    reports::write_reports(suite, report_dir);
    std::cout << "understudy: reports: " << (report_dir / "report.html").string() << ", "
              << (report_dir / "junit.xml").string() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "understudy: error: cannot write reports to " << report_dir.string() << ": "
              << e.what() << "\n";
    code = kExitUsage;
  }
  const auto passed = suite.count(reports::Status::kPassed);
  const auto failed = suite.scenarios.size() - passed;
  if (suite.interrupted_by.empty()) {
    std::cout << passed << " passed, " << failed << " failed\n";
    return code != kExitPassed ? code : failed == 0 ? kExitPassed : kExitFailed;
  }
  std::cout << interruption_summary(suite) << "\n" << std::flush;
  // Workers still inside a scenario are abandoned: leave without unwinding
  // them, once their folders are gone and their children stopped.
  PrivateFolder::remove_all_live();
  ChildProcess::kill_all_children();
  std::fflush(nullptr);
  _exit(128 + stop_signals.signal().load());
}
