#include "harness/stress/sample_collector.h"

#include <cstring>
#include <stdexcept>

namespace understudy::harness {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {
constexpr std::size_t kRecordBytes = 24;
constexpr std::size_t kHeaderBytes = 5;
constexpr std::uint32_t kMaxMessageBytes = 64 * 1024 * 1024;

std::uint64_t read_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);  // little-endian on every machine we run on
  return v;
}
}  // namespace

std::string_view stress_path_name(StressPath path) {
  switch (path) {
    case StressPath::kExecute:
      return "execute";
    case StressPath::kCheap:
      return "cheap";
    case StressPath::kPipeline:
      return "pipeline";
    case StressPath::kSync:
      return "sync";
    case StressPath::kCoroutine:
      return "coroutine";
    case StressPath::kAsync:
      return "async";
  }
  return "?";
}

std::string_view outcome_name(std::size_t outcome) {
  static constexpr std::array<std::string_view, kOutcomes> names{"ok", "error", "timeout",
                                                                 "disconnected"};
  return outcome < kOutcomes ? names[outcome] : "?";
}

std::uint64_t PathTally::calls() const {
  std::uint64_t n = 0;
  for (const auto c : outcomes) {
    n += c;
  }
  return n;
}

// One worker's connection: reads messages until it closes.
class SampleCollector::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(SampleCollector& owner, local::socket socket)
      : owner_(owner), socket_(std::move(socket)) {}

  void start() { read_header(); }

  void send(char byte) {
    auto self = shared_from_this();
    asio::post(socket_.get_executor(), [self, byte] {
      boost::system::error_code ignored;
      asio::write(self->socket_, asio::buffer(&byte, 1), ignored);
    });
  }

 private:
  void read_header() {
    auto self = shared_from_this();
    asio::async_read(socket_, asio::buffer(header_),
                     [self](boost::system::error_code error, std::size_t) {
                       if (!error) {
                         self->on_header();
                       }
                     });
  }

  void on_header() {
    std::uint32_t length = 0;
    std::memcpy(&length, header_.data() + 1, sizeof length);
    const char kind = static_cast<char>(header_[0]);
    if (length > kMaxMessageBytes || (kind == 'R' && length % kRecordBytes != 0) ||
        std::string_view("HRES").find(kind) == std::string_view::npos) {
      owner_.on_problem("worker " + std::to_string(worker_) + " sent a malformed message (type " +
                        std::to_string(static_cast<int>(header_[0])) + ", " +
                        std::to_string(length) + " bytes); its connection is closed");
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    payload_.resize(length);
    auto self = shared_from_this();
    asio::async_read(socket_, asio::buffer(payload_),
                     [self, kind](boost::system::error_code error, std::size_t) {
                       if (!error) {
                         self->on_payload(kind);
                         self->read_header();
                       }
                     });
  }

  void on_payload(char kind) {
    if (kind == 'R') {
      for (std::size_t i = 0; i < payload_.size(); i += kRecordBytes) {
        owner_.on_record(payload_.data() + i);
      }
      return;
    }
    auto value = nlohmann::json::parse(payload_.begin(), payload_.end(), nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
      owner_.on_problem("worker " + std::to_string(worker_) + " sent a message that is not JSON");
      return;
    }
    if (kind == 'H') {
      worker_ = value.value("worker", -2);
    }
    owner_.on_json(kind, value, worker_);
  }

  SampleCollector& owner_;
  local::socket socket_;
  std::array<unsigned char, kHeaderBytes> header_{};
  std::vector<unsigned char> payload_;
  int worker_ = -2;  // until its hello
};

SampleCollector::SampleCollector(const std::filesystem::path& socket_path)
    : path_(socket_path), acceptor_(io_) {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
  try {
    acceptor_.open();
    acceptor_.bind(local::endpoint(path_.string()));
    acceptor_.listen();
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen for stress workers on " + path_.string() + ": " +
                             e.what());
  }
  std::filesystem::permissions(
      path_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

SampleCollector::~SampleCollector() {
  io_.stop();
  thread_.join();
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void SampleCollector::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, local::socket socket) {
    if (error) {
      return;
    }
    auto session = std::make_shared<Session>(*this, std::move(socket));
    {
      MutexLock lock(mutex_);
      sessions_.push_back(session);
      all_.connections = sessions_.size();
    }
    session->start();
    accept();
  });
}

void SampleCollector::on_record(const unsigned char* record) {
  const auto path = static_cast<std::size_t>(record[0]);
  const auto outcome = static_cast<std::size_t>(record[1]);
  const auto due = read_u64(record + 8);
  const auto latency = read_u64(record + 16);
  MutexLock lock(mutex_);
  if (path >= kStressPaths || outcome >= kOutcomes) {
    if (all_.problems.size() < 20) {
      all_.problems.push_back("a record with path " + std::to_string(path) + " and outcome " +
                              std::to_string(outcome) + " (ignored)");
    }
    return;
  }
  for (auto* tally : {&all_.paths[path], &mark_[path]}) {
    tally->latency.record(latency);
    ++tally->outcomes[outcome];
  }
  ++done_at_[static_cast<std::int64_t>((due + latency) / 1'000'000'000)][path];
  changed_.notify_all();
}

void SampleCollector::on_json(char kind, const nlohmann::json& value, int worker) {
  MutexLock lock(mutex_);
  auto copy = value;
  copy["worker"] = worker;
  if (kind == 'S') {
    all_.summaries.push_back(std::move(copy));
  } else if (kind == 'E') {
    all_.errors.push_back(std::move(copy));
  }
  changed_.notify_all();
}

void SampleCollector::on_problem(std::string problem) {
  MutexLock lock(mutex_);
  all_.problems.push_back(std::move(problem));
}

CollectorSnapshot SampleCollector::snapshot() const {
  MutexLock lock(mutex_);
  return all_;
}

std::array<PathTally, kStressPaths> SampleCollector::since_mark() {
  MutexLock lock(mutex_);
  auto tallies = mark_;
  mark_ = {};
  return tallies;
}

bool SampleCollector::wait_summaries(const std::string& phase, std::size_t count,
                                     std::chrono::milliseconds timeout) const {
  MutexLock lock(mutex_);
  return lock.wait_for(changed_, timeout, [&]() REQUIRES(mutex_) {
    std::size_t seen = 0;
    for (const auto& s : all_.summaries) {
      seen += s.value("phase", std::string()) == phase ? 1 : 0;
    }
    return seen >= count;
  });
}

void SampleCollector::send_to_all(char byte) {
  MutexLock lock(mutex_);
  for (const auto& session : sessions_) {
    session->send(byte);
  }
}

std::size_t SampleCollector::connections() const {
  MutexLock lock(mutex_);
  return sessions_.size();
}

std::vector<std::array<std::uint64_t, kStressPaths>> SampleCollector::completions_per_second(
    std::chrono::steady_clock::time_point origin) const {
  const auto origin_s =
      std::chrono::duration_cast<std::chrono::seconds>(origin.time_since_epoch()).count();
  MutexLock lock(mutex_);
  std::vector<std::array<std::uint64_t, kStressPaths>> seconds;
  for (const auto& [second, counts] : done_at_) {
    if (second < origin_s) {
      continue;
    }
    const auto index = static_cast<std::size_t>(second - origin_s);
    if (seconds.size() <= index) {
      seconds.resize(index + 1);
    }
    seconds[index] = counts;
  }
  return seconds;
}

}  // namespace understudy::harness
