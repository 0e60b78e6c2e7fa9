#include "harness/faults/fault_matrix.h"

#include <fstream>

#include "harness/control/engine_client.h"
#include "harness/faults/fault_matrix_run.h"
#include "harness/timeouts.h"

namespace understudy::harness {

std::string describe_schedule(const std::vector<PlannedFault>& schedule,
                              const std::vector<std::string>& client_names, std::uint64_t seed) {
  std::string text = "fault schedule for seed " + std::to_string(seed) + " (" +
                     std::to_string(schedule.size()) + " faults):\n";
  for (const auto& fault : schedule) {
    const auto name = fault.client >= 0 && fault.client < static_cast<int>(client_names.size())
                          ? client_names[static_cast<std::size_t>(fault.client)]
                          : std::string();
    text += "  " + fault.describe(name) + "\n";
  }
  return text;
}

FaultMatrix::FaultMatrix(FaultMatrixHost host, FaultMatrixOptions options, std::uint64_t seed)
    : host_(std::move(host)), options_(std::move(options)), seed_(seed) {
  for (int i = 0; i < options_.spec.clients; ++i) {
    auto name = options_.client_name;
    if (const auto pos = name.find("{i}"); pos != std::string::npos) {
      name.replace(pos, 3, std::to_string(i));
    }
    names_.push_back(name);
  }
  schedule_ = plan_faults(options_.spec, seed_);
  schedule_text_ = describe_schedule(schedule_, names_, seed_);
}

FaultMatrixOutcome FaultMatrix::run() {
  Impl m{host_, options_, seed_};
  const auto folder = host_.work_dir / "fault-matrix";
  std::filesystem::create_directories(folder);
  m.names = names_;
  for (const auto& name : names_) {
    m.ledgers.push_back(folder / (name + ".ledger"));
    m.incarnations.emplace_back();
  }
  m.out.schedule = schedule_;
  m.out.schedule_text = schedule_text_;
  m.effects.resize(schedule_.size());
  { std::ofstream(folder / "schedule.txt") << m.out.schedule_text; }
  for (std::size_t i = 0; i < m.names.size(); ++i) {
    m.start_client(static_cast<int>(i));
  }
  std::string registry;
  const auto limit =
      kMatrixClientsRegisterTimeout.for_count(static_cast<long long>(m.names.size()));
  if (!m.all_registered(limit, &registry)) {
    m.broken("the matrix's " + std::to_string(m.names.size()) +
             " clients to register before the faults; the registry holds " + registry +
             " (client logs: " + folder.parent_path().string() + ")");
    return m.out;
  }
  m.started = Impl::Clock::now();
  m.events_at_start = host_.control.event_count();
  m.run_schedule();
  m.check_calls();
  m.check_reloads();
  m.check_faults_took_effect();
  m.check_redis_back();
  m.check_clients();
  m.check_actors();
  m.check_main_thread();
  m.out.metrics["fault_matrix.faults"] = static_cast<double>(m.out.schedule.size());
  m.out.metrics["fault_matrix.seconds"] = m.now_s();
  return m.out;
}

}  // namespace understudy::harness
