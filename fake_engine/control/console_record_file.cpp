#include "fake_engine/control/console_record_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "fake_engine/control/engine_control.h"
#include "protocol/codec.h"

namespace understudy::control {

ConsoleRecordFile::ConsoleRecordFile(std::filesystem::path path) : path_(std::move(path)) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  std::FILE* file = fd >= 0 ? ::fdopen(fd, "w") : nullptr;
  if (file == nullptr) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) {
      ::close(fd);
    }
    throw std::runtime_error("--console-file " + path_.string() + ": " + reason);
  }
  MutexLock lock(mutex_);
  file_ = file;
}

ConsoleRecordFile::~ConsoleRecordFile() {
  if (console_ != nullptr) {
    console_->set_ordered_sink({});
  }
  MutexLock lock(mutex_);
  if (file_ != nullptr) {
    std::fclose(file_);
  }
}

void ConsoleRecordFile::attach(Console& console) {
  console_ = &console;
  console.set_ordered_sink([this](const ConsoleRecord& record) {
    append(protocol::encode_event("console", console_event(record)));
  });
}

void ConsoleRecordFile::finish(const protocol::EngineExit& exit) {
  if (console_ != nullptr) {
    console_->set_ordered_sink({});
    console_ = nullptr;
  }
  append(protocol::encode_event("exit", exit));
  MutexLock lock(mutex_);
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
}

void ConsoleRecordFile::append(const std::string& line) {
  MutexLock lock(mutex_);
  if (file_ == nullptr || failed_) {
    return;
  }
  // encode_event's line ends in '\n'. Flushed at once: a reader follows the
  // file while the engine runs, and a killed engine loses nothing written.
  if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0) {
    failed_ = true;
    std::fprintf(stderr,
                 "understudy-engine: error: --console-file %s: %s; later records are not in it\n",
                 path_.c_str(), std::strerror(errno));
  }
}

}  // namespace understudy::control
