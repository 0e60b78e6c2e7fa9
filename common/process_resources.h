// ProcessResources: what a process holds now, read from /proc: open file
// descriptors (/proc/PID/fd), threads (/proc/PID/task) and resident memory
// (VmRSS in /proc/PID/status). Linux only, like the rest of the harness.
#pragma once

#include <sys/types.h>

#include <string>

namespace understudy {

struct ProcessResources {
  int fds = 0;
  int threads = 0;
  double rss_mib = 0;

  // Throws std::runtime_error naming the file when the process is gone.
  static ProcessResources of(pid_t pid);
  std::string describe() const;  // "41 fds, 9 threads, 38.2 MiB RSS"
};

}  // namespace understudy
