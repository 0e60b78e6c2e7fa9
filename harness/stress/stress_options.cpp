#include "harness/stress/stress_options.h"

#include <cstdlib>
#include <sstream>

#include "common/text_format.h"

namespace understudy::harness {

std::string describe(const StressOptions& o) {
  std::ostringstream s;
  s << "clients";
  for (const auto c : o.clients) {
    s << (&c == &o.clients.front() ? " " : ",") << c;
  }
  s << " (" << o.connections_per_process << " per process, " << o.spawn << "); "
    << std::chrono::duration<double>(o.duration).count() << " s per step; client paths '"
    << (o.mix.empty() ? "none" : o.mix) << "' "
    << (o.rate > 0 ? "open loop at " + text::number(o.rate) + "/s per client" : "closed loop")
    << ", pipeline depth " << o.pipeline_depth << "; engine paths ";
  for (const auto& p : o.engine_paths) {
    s << p << (&p == &o.engine_paths.back() ? "" : ",");
  }
  if (o.engine_paths.empty()) {
    s << "none";
  }
  s << " "
    << (o.engine_rate > 0 ? "open loop at " + text::number(o.engine_rate) + "/s"
                          : "closed loop, depth " + std::to_string(o.engine_depth))
    << "; engine at " << o.tick_hz << " Hz" << (o.faithful ? ", --faithful" : "");
  for (const auto& a : o.engine_args) {
    s << " " << a;
  }
  s << "; seed " << o.seed;
  return s.str();
}

std::string child_python_path(const StressOptions& o) {
  std::string path = o.pylib.string();
  if (const char* existing = std::getenv("PYTHONPATH"); existing != nullptr && *existing) {
    path += ":" + std::string(existing);
  }
  return path;
}

}  // namespace understudy::harness
