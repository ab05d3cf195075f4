#include "common/tls/frame_channel.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace teiten::tls {
namespace asio = boost::asio;

void FrameChannel::read(ReadHandler handler) {
  asio::async_read(
      stream_, asio::buffer(header_),
      [this, handler = std::move(handler)](const boost::system::error_code& ec, size_t) mutable {
        if (ec) return handler(ec, {}, {});
        auto length = wire::parse_frame_header(header_, max_frame_);
        if (!length) return handler({}, length.error(), {});
        body_.resize(*length);
        asio::async_read(
            stream_, asio::buffer(body_),
            [this, handler = std::move(handler)](const boost::system::error_code& ec2, size_t n) {
              if (ec2) return handler(ec2, {}, {});
              bytes_read_ += wire::kFrameHeaderBytes + n;
              auto view = wire::decode_frame_body(body_);
              if (!view) return handler({}, view.error(), {});
              handler({}, {}, wire::Frame{view->type, std::string(view->payload)});
            });
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
                    [this](const boost::system::error_code& ec, size_t n) {
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
