#include "harness/run/suite_runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <thread>

namespace understudy::harness {

std::vector<std::filesystem::path> find_scenario_files(
    const std::vector<std::filesystem::path>& paths) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml") {
          files.push_back(entry.path());
        }
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     std::vector<std::string>& problems) {
  std::vector<Scenario> scenarios;
  for (const auto& file : files) {
    if (!std::filesystem::exists(file)) {
      problems.push_back(file.string() + ": no such file or folder");
      continue;
    }
    try {
      scenarios.push_back(parse_scenario_file(file));
    } catch (const std::exception& e) {
      problems.push_back(e.what());
    }
  }
  return scenarios;
}

std::vector<Scenario> select(const std::vector<Scenario>& all, const Selection& selection) {
  std::vector<Scenario> chosen;
  for (const auto& scenario : all) {
    if (selection.filter && !std::regex_search(scenario.name, *selection.filter)) {
      continue;
    }
    bool tagged = selection.tags.empty() ? !scenario.has_tag("slow") : false;
    for (const auto& tag : selection.tags) {
      tagged = tagged || scenario.has_tag(tag);
    }
    if (tagged) {
      chosen.push_back(scenario);
    }
  }
  std::vector<Scenario> shard;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(selection.shard_count)) ==
        selection.shard_index) {
      shard.push_back(chosen[i]);
    }
  }
  return shard;
}

namespace {

std::string iso8601_now() {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Each run's own folder (logs, sockets): numbered, since two scenario files in
// different folders may share a name.
std::string folder_name(std::size_t index, const Scenario& s, int repeat) {
  std::string name = std::to_string(index) + "-" + s.file.stem().string();
  if (repeat > 0) {
    name += "-repeat" + std::to_string(repeat);
  }
  return name;
}

}  // namespace

reports::SuiteResult run_suite(const std::vector<Scenario>& scenarios, const SuiteOptions& options,
                               std::ostream& progress) {
  struct Job {
    const Scenario* scenario;
    int repeat;
  };
  std::vector<Job> jobs;
  for (int r = 0; r < options.repeat; ++r) {
    for (const auto& scenario : scenarios) {
      jobs.push_back({&scenario, r});
    }
  }
  reports::SuiteResult suite;
  suite.started_at = iso8601_now();
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  suite.hostname = host;
  suite.scenarios.resize(jobs.size());

  const auto started = std::chrono::steady_clock::now();
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex print_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      const auto& job = jobs[i];
      RunSettings settings = options.run;
      settings.repeat_index = job.repeat;
      settings.seed = options.seed + static_cast<std::uint64_t>(job.repeat);
      settings.work_dir = options.run.work_dir / folder_name(i, *job.scenario, job.repeat);
      {
        std::lock_guard lock(print_mutex);
        if (options.live_progress) {
          progress << "\r\033[K[" << done.load() << "/" << jobs.size() << "] running "
                   << job.scenario->name << std::flush;
        }
      }
      auto result = run_scenario(*job.scenario, settings);
      std::lock_guard lock(print_mutex);
      const auto finished = ++done;
      const char* word = result.status == reports::Status::kPassed   ? "PASS"
                         : result.status == reports::Status::kFailed ? "FAIL"
                                                                     : "ERROR";
      if (options.live_progress) {
        progress << "\r\033[K";
      }
      progress << "[" << finished << "/" << jobs.size() << "] " << word << " " << result.name
               << (options.repeat > 1 ? " [repeat " + std::to_string(job.repeat) + "]" : "") << " ("
               << static_cast<int>(result.duration_s * 1000) / 1000.0 << " s)\n";
      if (!result.fault_schedule.empty()) {
        progress << "    " << result.fault_schedule;
      }
      if (result.status != reports::Status::kPassed) {
        progress << "    " << result.failure_message << "\n";
        if (!result.logs.empty()) {
          progress << "    " << result.logs.front().process << " log: " << result.logs.front().path
                   << "\n";
        }
      }
      progress << std::flush;
      suite.scenarios[i] = std::move(result);
    }
  };
  std::vector<std::thread> workers;
  for (int j = 0; j < std::max(1, options.jobs); ++j) {
    workers.emplace_back(worker);
  }
  for (auto& w : workers) {
    w.join();
  }
  suite.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return suite;
}

}  // namespace understudy::harness
