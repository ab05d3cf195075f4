#include "common/process/progress_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "common/base/human_units.h"

namespace teiten::process {
namespace {

constexpr auto kRedraw = std::chrono::milliseconds(250);

// Guards stderr between the progress line and the log sink, and whether a
// line is on the screen now.
std::mutex terminal_mutex;
bool line_shown = false;

// A line longer than the terminal would wrap, and "\r" would then redraw
// only its last row; so the text is cut to the width.
size_t terminal_width() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1) return ws.ws_col - 1;
  return 79;
}

void erase_locked() {
  if (!line_shown) return;
  std::fputs("\r\x1b[K", stderr);
  line_shown = false;
}

}  // namespace

std::string progress_text(const std::string& label, std::optional<double> fraction, uint64_t items,
                          const std::string& item_name, double elapsed) {
  std::string out = label;
  if (fraction) {
    double f = std::clamp(*fraction, 0.0, 1.0);
    out += "  " + std::to_string(static_cast<int>(f * 100)) + "%";
  }
  out += "  " + base::human_count(static_cast<double>(items)) + " " + item_name;
  if (elapsed > 0.2) {
    double rate = static_cast<double>(items) / elapsed;
    out += "  " + base::human_count(rate) + "/s";
    if (fraction && *fraction > 0.01 && *fraction < 1.0)
      out +=
          "  ETA " +
          base::human_span(static_cast<int64_t>(elapsed * (1 - *fraction) / *fraction + 0.5), true);
  }
  return out;
}

ProgressLine::ProgressLine(bool force)
    : active_(force || isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      next_draw_(start_) {}  // the first update draws: short work shows a line too

ProgressLine::~ProgressLine() {
  clear();
}

double ProgressLine::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressLine::update(const std::function<std::string()>& text, bool now) {
  if (!active_) return;
  auto t = std::chrono::steady_clock::now();
  if (!now && t < next_draw_) return;
  next_draw_ = t + kRedraw;
  std::string line = text().substr(0, terminal_width());
  std::lock_guard lock(terminal_mutex);
  std::fputs("\r", stderr);
  std::fputs(line.c_str(), stderr);
  std::fputs("\x1b[K", stderr);
  std::fflush(stderr);
  line_shown = true;
}

void ProgressLine::finish(const std::string& summary) {
  if (!active_) return;
  std::lock_guard lock(terminal_mutex);
  erase_locked();
  std::fputs(summary.c_str(), stderr);
  std::fputs("\n", stderr);
  std::fflush(stderr);
}

void ProgressLine::clear() {
  if (!active_) return;
  std::lock_guard lock(terminal_mutex);
  erase_locked();
  std::fflush(stderr);
}

ProgressTicker::ProgressTicker(bool force) : line_(force) {
  if (!line_.active()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      draw_locked();
      wake_.wait_for(lock, kRedraw, [this] { return stopping_; });
    }
  });
}

void ProgressTicker::draw_locked() {
  if (step_.empty()) return;
  char took[32];
  std::snprintf(took, sizeof took, "  %.1fs", line_.elapsed() - step_started_);
  line_.update([&] { return step_ + took; }, true);
}

ProgressTicker::~ProgressTicker() {
  stop();
}

void ProgressTicker::step(std::string text) {
  if (!line_.active()) return;
  // Drawn at once: a step shorter than a redraw period is still seen.
  std::lock_guard lock(mutex_);
  step_ = std::move(text);
  step_started_ = line_.elapsed();
  draw_locked();
}

void ProgressTicker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProgressTicker::clear() {
  stop();
  line_.clear();
}

void ProgressTicker::finish(const std::string& summary) {
  stop();
  line_.finish(summary);
}

namespace detail {

void write_terminal(const char* data, size_t size) {
  std::lock_guard lock(terminal_mutex);
  erase_locked();
  std::fwrite(data, 1, size, stderr);
  std::fflush(stderr);
}

}  // namespace detail
}  // namespace teiten::process
