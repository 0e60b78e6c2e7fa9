#include "harness/run/suite_runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <memory>
#include <thread>

#include "common/mutex.h"
#include "common/text_format.h"

namespace understudy::harness {

std::vector<std::filesystem::path> find_scenario_files(
    const std::vector<std::filesystem::path>& paths) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
        // A project's object schemas (NAME.schema.toml) may live beside its
        // scenarios: they are loaded with [engine] schemas, not run.
        if (entry.is_regular_file() && entry.path().extension() == ".toml" &&
            !entry.path().stem().string().ends_with(".schema")) {
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

namespace {

enum class Exclusion { kNone, kFilter, kTag, kSlow };

Exclusion exclusion_of(const Scenario& scenario, const Selection& selection) {
  if (selection.filter && !std::regex_search(scenario.name, *selection.filter)) {
    return Exclusion::kFilter;
  }
  if (selection.tags.empty()) {
    return scenario.has_tag("slow") ? Exclusion::kSlow : Exclusion::kNone;
  }
  for (const auto& tag : selection.tags) {
    if (scenario.has_tag(tag)) {
      return Exclusion::kNone;
    }
  }
  return Exclusion::kTag;
}

bool in_shard(std::size_t index, const Selection& selection) {
  return static_cast<int>(index % static_cast<std::size_t>(selection.shard_count)) ==
         selection.shard_index;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : separator) + item;
  }
  return text;
}

}  // namespace

std::vector<Scenario> select(const std::vector<Scenario>& all, const Selection& selection) {
  std::vector<Scenario> chosen;
  for (const auto& scenario : all) {
    if (exclusion_of(scenario, selection) == Exclusion::kNone) {
      chosen.push_back(scenario);
    }
  }
  std::vector<Scenario> shard;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (in_shard(i, selection)) {
      shard.push_back(chosen[i]);
    }
  }
  return shard;
}

std::vector<reports::ExcludedScenarios> excluded(const std::vector<Scenario>& all,
                                                 const Selection& selection) {
  reports::ExcludedScenarios slow{"tagged slow", "--tag slow runs them", {}};
  reports::ExcludedScenarios untagged{"without the tag " + joined(selection.tags, " or "), "", {}};
  reports::ExcludedScenarios filtered{
      "not matching --filter '" + selection.filter_text + "'", "", {}};
  reports::ExcludedScenarios other_shards{"in other shards",
                                          "this is shard " +
                                              std::to_string(selection.shard_index + 1) + " of " +
                                              std::to_string(selection.shard_count),
                                          {}};
  std::size_t selected = 0;
  for (const auto& scenario : all) {
    switch (exclusion_of(scenario, selection)) {
      case Exclusion::kNone:
        if (!in_shard(selected++, selection)) {
          other_shards.names.push_back(scenario.name);
        }
        break;
      case Exclusion::kFilter:
        filtered.names.push_back(scenario.name);
        break;
      case Exclusion::kTag:
        untagged.names.push_back(scenario.name);
        break;
      case Exclusion::kSlow:
        slow.names.push_back(scenario.name);
        break;
    }
  }
  std::vector<reports::ExcludedScenarios> groups;
  for (auto* group : {&slow, &untagged, &filtered, &other_shards}) {
    if (!group->names.empty()) {
      groups.push_back(std::move(*group));
    }
  }
  return groups;
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "signal " + std::to_string(signal);
  }
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

struct Job {
  std::size_t scenario;  // index into SuiteRun::scenarios
  int repeat;
};

// What the workers share with run_suite. Held by shared pointer: a worker
// still inside a scenario when run_suite gives up on it (interrupted, past
// the grace) keeps it alive, and finds `closed` set when it comes back.
struct SuiteRun {
  SuiteRun(const std::vector<Scenario>& all, const SuiteOptions& suite_options, std::ostream& out)
      : scenarios(all), options(suite_options), progress(out) {
    for (int r = 0; r < options.repeat; ++r) {
      for (std::size_t s = 0; s < scenarios.size(); ++s) {
        jobs.push_back({s, r});
      }
    }
    results.resize(jobs.size());
    started.resize(jobs.size(), false);
  }

  int stop_signal() const {
    return options.stop_signal != nullptr ? options.stop_signal->load() : 0;
  }

  const std::vector<Scenario> scenarios;
  const SuiteOptions options;
  std::ostream& progress;
  std::vector<Job> jobs;

  Mutex mutex;
  std::condition_variable worker_ended;
  std::size_t next GUARDED_BY(mutex) = 0;
  std::size_t finished GUARDED_BY(mutex) = 0;
  int workers_running GUARDED_BY(mutex) = 0;
  bool closed GUARDED_BY(mutex) = false;
  std::vector<std::optional<reports::ScenarioResult>> results GUARDED_BY(mutex);
  std::vector<bool> started GUARDED_BY(mutex);
};

void mark_interrupted(reports::ScenarioResult& result, int signal) {
  result.status = reports::Status::kError;
  result.failure_kind = reports::FailureKind::kInterrupted;
  result.failure_message = "interrupted by " + signal_name(signal) + " after " +
                           text::fixed(result.duration_s, 1) + " s";
}

void print_result(SuiteRun& run, const Job& job, const reports::ScenarioResult& result)
    REQUIRES(run.mutex) {
  auto& progress = run.progress;
  const char* word = result.failure_kind == reports::FailureKind::kInterrupted ? "INTERRUPTED"
                     : result.status == reports::Status::kPassed               ? "PASS"
                     : result.status == reports::Status::kFailed               ? "FAIL"
                                                                               : "ERROR";
  if (run.options.live_progress) {
    progress << "\r\033[K";
  }
  progress << "[" << run.finished << "/" << run.jobs.size() << "] " << word << " " << result.name
           << (run.options.repeat > 1 ? " [repeat " + std::to_string(job.repeat) + "]" : "") << " ("
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
}

// run_scenario, with anything it lets escape (its work folder cannot be
// made, ...) recorded as the scenario's error rather than ending the process.
reports::ScenarioResult run_guarded(const Scenario& scenario, const RunSettings& settings) {
  try {
    return run_scenario(scenario, settings);
  } catch (const std::exception& e) {
    reports::ScenarioResult result;
    result.name = scenario.name;
    result.file = scenario.file.string();
    result.tags = scenario.tags;
    result.repeat_index = settings.repeat_index;
    result.seed = settings.seed;
    result.status = reports::Status::kError;
    result.failure_kind = reports::FailureKind::kHarnessError;
    result.failure_message = e.what();
    return result;
  }
}

void work(const std::shared_ptr<SuiteRun>& run) {
  for (;;) {
    std::size_t i = 0;
    {
      MutexLock lock(run->mutex);
      if (run->closed || run->stop_signal() != 0 || run->next >= run->jobs.size()) {
        break;
      }
      i = run->next++;
      run->started[i] = true;
      if (run->options.live_progress) {
        run->progress << "\r\033[K[" << run->finished << "/" << run->jobs.size() << "] running "
                      << run->scenarios[run->jobs[i].scenario].name << std::flush;
      }
    }
    const auto& job = run->jobs[i];
    const auto& scenario = run->scenarios[job.scenario];
    RunSettings settings = run->options.run;
    settings.repeat_index = job.repeat;
    settings.seed = run->options.seed + static_cast<std::uint64_t>(job.repeat);
    settings.work_dir = run->options.run.work_dir / folder_name(i, scenario, job.repeat);
    auto result = run_guarded(scenario, settings);
    MutexLock lock(run->mutex);
    if (run->closed) {
      return;
    }
    if (const int signal = run->stop_signal(); signal != 0) {
      mark_interrupted(result, signal);
    }
    ++run->finished;
    print_result(*run, job, result);
    run->results[i] = std::move(result);
  }
  MutexLock lock(run->mutex);
  --run->workers_running;
  run->worker_ended.notify_all();
}

// Waits until every worker has ended, or until `stop_grace` after a stop
// signal. True if they all ended.
bool wait_for_workers(SuiteRun& run, MutexLock& lock) REQUIRES(run.mutex) {
  std::optional<std::chrono::steady_clock::time_point> give_up_at;
  while (run.workers_running > 0) {
    // Polled: a signal handler cannot notify a condition variable.
    lock.wait_for(run.worker_ended, std::chrono::milliseconds(50));
    if (run.stop_signal() != 0 && !give_up_at) {
      give_up_at = std::chrono::steady_clock::now() + run.options.stop_grace;
    }
    if (give_up_at && std::chrono::steady_clock::now() >= *give_up_at) {
      return run.workers_running == 0;
    }
  }
  return true;
}

}  // namespace

reports::SuiteResult run_suite(const std::vector<Scenario>& scenarios, const SuiteOptions& options,
                               std::ostream& progress) {
  auto run = std::make_shared<SuiteRun>(scenarios, options, progress);
  reports::SuiteResult suite;
  suite.started_at = iso8601_now();
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  suite.hostname = host;

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  {
    MutexLock lock(run->mutex);
    run->workers_running = std::max(1, options.jobs);
  }
  for (int j = 0; j < std::max(1, options.jobs); ++j) {
    workers.emplace_back(work, run);
  }
  MutexLock lock(run->mutex);
  const bool all_ended = wait_for_workers(*run, lock);
  run->closed = true;
  lock.unlock();
  for (auto& worker : workers) {
    if (all_ended) {
      worker.join();
    } else {
      worker.detach();  // still in a scenario; its children are stopped, and the process exits
    }
  }
  lock.lock();
  const int signal = run->stop_signal();
  if (signal != 0) {
    suite.interrupted_by = signal_name(signal);
  }
  const auto duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (std::size_t i = 0; i < run->jobs.size(); ++i) {
    if (run->results[i]) {
      suite.scenarios.push_back(std::move(*run->results[i]));
      continue;
    }
    const auto& scenario = run->scenarios[run->jobs[i].scenario];
    reports::ScenarioResult result;
    result.name = scenario.name;
    result.file = scenario.file.string();
    result.tags = scenario.tags;
    result.repeat_index = run->jobs[i].repeat;
    result.seed = options.seed + static_cast<std::uint64_t>(run->jobs[i].repeat);
    if (run->started[i]) {
      result.duration_s = duration_s;
      mark_interrupted(result, signal);
      result.failure_message += " (still running when the harness stopped)";
    } else {
      result.status = reports::Status::kSkipped;
      result.failure_message = "not run: interrupted by " + signal_name(signal);
    }
    suite.scenarios.push_back(std::move(result));
  }
  suite.duration_s = duration_s;
  return suite;
}

}  // namespace understudy::harness
