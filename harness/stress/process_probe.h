// ProcessProbe: what a process costs, read from Linux's /proc: resident
// memory, threads, open file descriptors, CPU time and time spent waiting for
// a CPU; and how busy the whole machine was between two readings (to tell
// when the machine or the load generator, not the engine, was the limit).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace understudy::harness {

struct ProcessUsage {
  std::uint64_t rss_bytes = 0;
  int threads = 0;
  int open_fds = 0;
  double cpu_seconds = 0;  // user + system
  // Summed over its threads: how long they were ready to run but had no CPU
  // (schedstat's run_delay; 0 where the kernel does not keep it).
  double cpu_wait_seconds = 0;
  // Summed over its threads: how many times one was put on a CPU
  // (schedstat's third field), which counts every wake-up of a sleeping
  // thread: what a hand-off between threads costs beside its wait.
  std::uint64_t cpu_switches_in = 0;
};

// nullopt when the process is gone.
std::optional<ProcessUsage> read_process_usage(pid_t pid);

// Busy and total jiffies of all CPUs (/proc/stat).
struct MachineCpu {
  std::uint64_t busy = 0;
  std::uint64_t total = 0;
};
MachineCpu read_machine_cpu();
// Fraction of all CPUs busy between two readings, 0..1.
double busy_fraction(const MachineCpu& before, const MachineCpu& after);

}  // namespace understudy::harness
