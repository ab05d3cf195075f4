// teiten::process::WorkerThread — one thread running an io_context, for
// work that must not block a daemon's network loop (SQLite commits).
// Anything posted runs on that thread, in order. Thread-safe.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>
#include <utility>

namespace teiten::process {

class WorkerThread {
 public:
  WorkerThread() : guard_(boost::asio::make_work_guard(ctx_)), thread_([this] { ctx_.run(); }) {}
  ~WorkerThread() { stop(); }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  template <class F>
  void post(F&& f) {
    boost::asio::post(ctx_, std::forward<F>(f));
  }
  /// Blocks until everything posted before this call has run.
  void drain() {
    std::promise<void> done;
    auto f = done.get_future();
    boost::asio::post(ctx_, [&done] { done.set_value(); });
    f.wait();
  }
  /// Runs what is queued, then joins the thread.
  void stop() {
    if (!thread_.joinable()) return;
    guard_.reset();
    thread_.join();
  }
  boost::asio::io_context& context() { return ctx_; }

 private:
  boost::asio::io_context ctx_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

}  // namespace teiten::process
