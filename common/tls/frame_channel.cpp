#include "common/tls/frame_channel.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace teiten::tls {
namespace asio = boost::asio;

void FrameChannel::read(ReadHandler handler) {
  if (!answer_from_reader(handler, true)) read_more(std::move(handler));
}

bool FrameChannel::charge(size_t held) {
  if (!budget_) return true;
  budget_->used = budget_->used - charged_ + held;
  charged_ = held;
  return budget_->used <= budget_->limit;
}

bool FrameChannel::answer_from_reader(ReadHandler& handler, bool post) {
  std::string error;
  std::optional<wire::Frame> frame = reader_.pop();
  if (frame) charge(reader_.held_bytes());  // a handed-out frame is the caller's
  if (!frame) {
    if (!reader_.failed()) return false;
    error = reader_.error();
  }
  auto deliver = [handler = std::move(handler), error = std::move(error),
                  frame = std::move(frame)]() mutable {
    handler({}, error, frame ? std::move(*frame) : wire::Frame{});
  };
  // A frame already here was received by an earlier read: answer through the
  // executor, as a socket read would, so callers never recurse.
  if (post)
    asio::post(stream_.get_executor(), std::move(deliver));
  else
    deliver();
  return true;
}

void FrameChannel::read_more(ReadHandler handler) {
  stream_.async_read_some(
      asio::buffer(chunk_),
      [this, owner = owner_.lock(), handler = std::move(handler)](
          const boost::system::error_code& ec, size_t n) mutable {
        if (ec) return handler(ec, {}, {});
        bytes_read_ += n;
        reader_.feed(std::string_view(chunk_.data(), n));
        if (!charge(reader_.held_bytes())) {
          // Past the budget: free what this peer made us hold, now.
          reader_ = wire::FrameReader(0);
          charge(0);
          return handler(asio::error::no_buffer_space, {}, {});
        }
        if (!answer_from_reader(handler, false)) read_more(std::move(handler));
      });
}

void FrameChannel::write(std::string frame_bytes, WriteHandler handler) {
  writes_.emplace_back(std::move(frame_bytes), std::move(handler));
  if (!writing_) write_next();
}

void FrameChannel::write_next() {
  if (writes_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(stream_, asio::buffer(writes_.front().first),
                    [this, owner = owner_.lock()](const boost::system::error_code& ec, size_t n) {
                      auto handler = std::move(writes_.front().second);
                      writes_.pop_front();
                      bytes_written_ += n;
                      if (ec) {
                        // The stream is broken: fail everything queued behind it too.
                        auto pending = std::move(writes_);
                        writes_.clear();
                        writing_ = false;
                        if (handler) handler(ec);
                        for (auto& [bytes, h] : pending)
                          if (h) h(ec);
                        return;
                      }
                      if (handler) handler(ec);
                      write_next();
                    });
}

}  // namespace teiten::tls
