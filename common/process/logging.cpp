#include "common/process/logging.h"

#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <mutex>

#include "common/process/progress_line.h"

namespace teiten::process {
namespace {

std::mutex mutex;
spdlog::level::level_enum current_level = spdlog::level::info;

// stderr, through the terminal lock a progress line shares, so a log line
// never lands in the middle of one (common/process/progress_line.h).
class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    detail::write_terminal(line.data(), line.size());
  }
  void flush_() override {}  // write_terminal flushes each line
};

spdlog::sink_ptr shared_sink() {
  static spdlog::sink_ptr sink = [] {
    auto s = std::make_shared<StderrSink>();
    // The journal stamps each line itself; a terminal gets our own stamp.
    s->set_pattern(getenv("JOURNAL_STREAM") ? "<%l> %n: %v" : "%Y-%m-%d %H:%M:%S.%e %l %n: %v");
    return s;
  }();
  return sink;
}

}  // namespace

bool set_log_level(const std::string& level) {
  auto lv = spdlog::level::from_str(level);
  if (lv == spdlog::level::off && level != "off") return false;
  std::lock_guard lock(mutex);
  current_level = lv;
  spdlog::apply_all([lv](const std::shared_ptr<spdlog::logger>& l) { l->set_level(lv); });
  return true;
}

std::shared_ptr<spdlog::logger> logger(const std::string& module) {
  std::lock_guard lock(mutex);
  if (auto l = spdlog::get(module)) return l;
  auto l = std::make_shared<spdlog::logger>(module, shared_sink());
  l->set_level(current_level);
  spdlog::register_logger(l);
  return l;
}

}  // namespace teiten::process
