#include "harness/run/client_stack_dump.h"

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

namespace understudy::harness {
namespace {

bool is_thread_header(const std::string& line) {
  return line.starts_with("Thread 0x") || line.starts_with("Current thread 0x");
}

std::optional<StackFrame> parse_frame(const std::string& line) {
  static const std::regex frame(R"re(^\s+File "(.*)", line (\d+) in (.*)$)re");
  std::smatch match;
  if (!std::regex_match(line, match, frame)) {
    return std::nullopt;
  }
  return StackFrame{match[1].str(), std::stoi(match[2].str()), match[3].str()};
}

bool is_rpyc(const StackFrame& frame) {
  return frame.file.find("/rpyc/") != std::string::npos;
}

}  // namespace

bool StackFrame::in_libraries() const {
  // The standard library is lib/python3.N/ itself, not its site-packages.
  static const std::regex stdlib(R"(/lib/python3\.\d+/(?!(site|dist)-packages/))");
  return file.starts_with("<frozen") || file.find("/rpyc/") != std::string::npos ||
         file.find("/understudy_client/") != std::string::npos || std::regex_search(file, stdlib);
}

std::string StackFrame::where() const {
  // Scripts given relative to a scenario file show as "dir/../clients/x.py".
  const auto path =
      file.starts_with("<") ? file : std::filesystem::path(file).lexically_normal().string();
  return path + ":" + std::to_string(line) + " in " + function;
}

ClientStackDump ClientStackDump::parse(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  // understudy_client writes a whole dump at once, the interrupted (current)
  // thread last, then an empty line: a dump is complete once that line is
  // there, and it ends with its "Current thread" block.
  std::size_t current = lines.size();
  for (std::size_t i = 0; i < lines.size() && current == lines.size(); ++i) {
    if (lines[i].starts_with("Current thread 0x")) {
      std::size_t end = i + 1;
      while (end < lines.size() && parse_frame(lines[end])) {
        ++end;
      }
      if (end < lines.size() && lines[end].empty()) {
        current = i;
      }
    }
  }
  ClientStackDump dump;
  if (current == lines.size()) {
    return dump;
  }
  // Its other threads are the blocks just before it, back to an earlier dump.
  std::size_t start = current;
  while (start > 0 && !lines[start - 1].starts_with("Current thread 0x") &&
         (lines[start - 1].empty() || is_thread_header(lines[start - 1]) ||
          parse_frame(lines[start - 1]))) {
    --start;
  }
  for (std::size_t i = start; i < lines.size(); ++i) {
    if (is_thread_header(lines[i])) {
      dump.threads_.push_back({lines[i], {}});
    } else if (auto frame = parse_frame(lines[i]); frame && !dump.threads_.empty()) {
      dump.threads_.back().frames.push_back(*frame);
    } else if (i > current && lines[i].empty()) {
      break;
    }
  }
  return dump;
}

ClientStackDump ClientStackDump::read(const std::filesystem::path& log, std::uintmax_t offset) {
  std::ifstream in(log, std::ios::binary);
  if (!in) {
    return {};
  }
  in.seekg(static_cast<std::streamoff>(offset));
  return parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

std::optional<StackFrame> ClientStackDump::user_frame() const {
  // Per thread, its innermost user frame counts only if RPyC is outside it:
  // the user's code is a service RPyC called. One that waits in a library
  // (calls back) is the answer; a service busy in its own code is the next best.
  std::optional<StackFrame> in_service;
  for (const auto& thread : threads_) {
    for (std::size_t i = 0; i < thread.frames.size(); ++i) {
      const auto& frame = thread.frames[i];
      if (frame.in_libraries()) {
        continue;
      }
      bool called_by_rpyc = false;
      for (std::size_t j = i + 1; j < thread.frames.size(); ++j) {
        called_by_rpyc = called_by_rpyc || is_rpyc(thread.frames[j]);
      }
      if (called_by_rpyc && i > 0) {
        return frame;
      }
      if (called_by_rpyc && !in_service) {
        in_service = frame;
      }
      break;
    }
  }
  return in_service;
}

std::string ClientStackDump::render(const std::string& indent) const {
  std::string text;
  for (const auto& thread : threads_) {
    text += indent + thread.header + "\n";
    for (const bool libraries : {false, true}) {
      bool titled = false;
      for (const auto& frame : thread.frames) {
        if (frame.in_libraries() != libraries) {
          continue;
        }
        if (!titled) {
          text += indent + (libraries ? "  libraries:\n" : "  your code:\n");
          titled = true;
        }
        text += indent + "    File \"" + frame.file + "\", line " + std::to_string(frame.line) +
                " in " + frame.function + "\n";
      }
    }
  }
  return text;
}

}  // namespace understudy::harness
