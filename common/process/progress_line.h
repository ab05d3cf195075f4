// teiten::process::ProgressLine — one line of progress for long work run
// from a terminal (a replay, a generation, a report): redrawn in place on
// stderr a few times a second, then replaced by a one-line summary. When
// stderr is not a terminal it writes nothing at all, so logs and pipes
// stay clean. Log lines written meanwhile erase the line first (the log
// sink and the line share one terminal lock), and the next update draws
// it again below them.
//
// Thread safety: one thread updates a ProgressLine; logging from other
// threads is safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace teiten::process {

/// "LABEL  42%  1.2M packets  845k/s  ETA 3s": `fraction` (0..1) unknown
/// gives no percentage and no ETA; `elapsed` seconds give the rate.
std::string progress_text(const std::string& label, std::optional<double> fraction, uint64_t items,
                          const std::string& item_name, double elapsed);

class ProgressLine {
 public:
  /// Active when stderr is a terminal (tests force it with `force`).
  explicit ProgressLine(bool force = false);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool active() const { return active_; }
  /// Seconds since construction.
  double elapsed() const;
  /// Draws text() when a redraw is due (every 250 ms; `now` forces one);
  /// text() is not called otherwise, so building it may cost something.
  void update(const std::function<std::string()>& text, bool now = false);
  /// Replaces the line with `summary` and a newline; later updates draw a
  /// new line below it.
  void finish(const std::string& summary);
  /// Erases the line, printing nothing in its place.
  void clear();

 private:
  bool active_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_draw_;
};

/// A ProgressLine for work done in long single calls (a database read, a
/// gnuplot run): a thread redraws "STEP  ELAPSED" four times a second.
/// No thread when stderr is not a terminal.
class ProgressTicker {
 public:
  explicit ProgressTicker(bool force = false);
  ~ProgressTicker();
  ProgressTicker(const ProgressTicker&) = delete;
  ProgressTicker& operator=(const ProgressTicker&) = delete;

  /// The step now under way ("reading 2010-07 from collector.db").
  void step(std::string text);
  /// Stops the thread and replaces the line with `summary` (with a newline).
  void finish(const std::string& summary);
  /// Stops the thread and erases the line (before an error message).
  void clear();
  double elapsed() const { return line_.elapsed(); }

 private:
  void stop();
  void draw_locked();  // with mutex_ held; ProgressLine is not thread-safe

  ProgressLine line_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string step_;
  double step_started_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

namespace detail {
/// For the log sink: erases a progress line on the terminal when one is
/// shown, then writes `text`, under the one terminal lock.
void write_terminal(const char* data, size_t size);
}  // namespace detail

}  // namespace teiten::process
