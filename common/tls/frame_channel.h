// teiten::tls::FrameChannel — wire frames over a TLS stream: reads the
// 4-byte header, checks the length against the maximum before allocating,
// reads exactly that many bytes, decodes the envelope; writes whole
// encoded frames, queued so one write is in flight at a time. Runs on one
// io_context thread (the daemon's network loop); not thread-safe.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "common/wire/frame.h"

namespace teiten::tls {

using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

class FrameChannel {
 public:
  /// ec: transport error (EOF included). protocol_error: the bytes were not
  /// a valid frame (size, version, type); the frame is valid otherwise.
  using ReadHandler = std::function<void(const boost::system::error_code& ec,
                                         const std::string& protocol_error, wire::Frame frame)>;
  using WriteHandler = std::function<void(const boost::system::error_code& ec)>;

  FrameChannel(TlsStream& stream, uint32_t max_frame) : stream_(stream), max_frame_(max_frame) {}

  void read(ReadHandler handler);
  /// Queues an encoded frame; the handler runs once it is written (or failed).
  void write(std::string frame_bytes, WriteHandler handler = nullptr);
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  void write_next();

  TlsStream& stream_;
  uint32_t max_frame_;
  uint8_t header_[wire::kFrameHeaderBytes] = {};
  std::string body_;
  std::deque<std::pair<std::string, WriteHandler>> writes_;
  bool writing_ = false;
  uint64_t bytes_read_ = 0, bytes_written_ = 0;
};

}  // namespace teiten::tls
