// teiten::tls::FrameChannel — wire frames over a TLS stream. Reading feeds
// whatever the stream delivers to a wire::FrameReader, the one frame
// parser teiten has (the fuzz target and the wire tests drive the same
// one): it checks each length against the maximum before allocating and
// never holds more than one unfinished frame. Frames that arrived together
// wait in the reader and are handed out one per read(). Writes whole
// encoded frames, queued so one write is in flight at a time. Runs on one
// io_context thread (the daemon's network loop); not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/wire/frame_reader.h"

namespace teiten::tls {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// What every channel sharing it may hold in frames not yet handed out
/// (the collector's listen.frame_memory). Used on one io thread only.
struct FrameBudget {
  size_t limit = SIZE_MAX;
  size_t used = 0;
};

class FrameChannel {
 public:
  /// ec: transport error (EOF included). protocol_error: the bytes were not
  /// a valid frame (size, version, type); the frame is valid otherwise.
  /// After a protocol error every later read reports it again.
  using ReadHandler = std::function<void(const boost::system::error_code& ec,
                                         const std::string& protocol_error, wire::Frame frame)>;
  using WriteHandler = std::function<void(const boost::system::error_code& ec)>;

  /// With a budget, a read that would take it past its limit drops what
  /// this channel holds and fails with boost::asio::error::no_buffer_space.
  /// The channel shares the budget: its owner's handlers can outlive whoever
  /// made the budget (an io_context destroys pending handlers last, after
  /// the collector's server is gone), and the destructor still returns its
  /// share.
  FrameChannel(TlsStream& stream, uint32_t max_frame,
               std::shared_ptr<FrameBudget> budget = nullptr)
      : stream_(stream), reader_(max_frame), budget_(std::move(budget)) {}
  ~FrameChannel() { charge(0); }
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  /// The object that owns the stream and this channel: every operation in
  /// flight holds it, so neither is destroyed while one can still complete.
  /// Closing the socket is not enough to end them at once: Asio's SSL
  /// stream retries a write the close aborted, and the retry's completion
  /// is queued behind anything posted after the close (a shipper that freed
  /// its connection from such a post met it: a double free at stop).
  void hold_owner_while_busy(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  /// The largest frame accepted from the next header on.
  void set_max_frame(uint32_t max_frame) { reader_.set_max_frame(max_frame); }

  /// The next frame; the handler runs from the io_context, never inside read().
  void read(ReadHandler handler);
  /// Queues an encoded frame; the handler runs once it is written (or failed).
  void write(std::string frame_bytes, WriteHandler handler = nullptr);
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  /// Answers from the reader when it holds a frame or an error; false when
  /// it needs more bytes.
  bool answer_from_reader(ReadHandler& handler, bool post);
  void read_more(ReadHandler handler);
  void write_next();
  /// Records that this channel now holds `held` bytes; false past the budget.
  bool charge(size_t held);

  TlsStream& stream_;
  wire::FrameReader reader_;
  std::shared_ptr<FrameBudget> budget_;
  std::weak_ptr<void> owner_;
  size_t charged_ = 0;
  std::array<char, 16384> chunk_{};
  std::deque<std::pair<std::string, WriteHandler>> writes_;
  bool writing_ = false;
  uint64_t bytes_read_ = 0, bytes_written_ = 0;
};

}  // namespace teiten::tls
