// FrameChannel over a real TLS 1.3 connection on loopback: frames however
// the peer's writes cut them, in order; a bad header stops reading with a
// protocol error before any allocation; a peer gone mid-frame is a
// transport error; queued writes arrive whole and in order.
#include "common/tls/frame_channel.h"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "common/wire/frame_reader.h"
#include "tls_test_support.h"

using namespace teiten;
using tls::test::Pki;
namespace asio = boost::asio;

namespace {

struct Connected {
  Connected() {
    auto r = tls::test::handshake(pair);
    REQUIRE(r.finished);
    REQUIRE_FALSE(r.server);
    REQUIRE_FALSE(r.client);
  }
  Pki pki;
  // Initialised after pki has written the files (members in order).
  asio::ssl::context server_ctx{make_server()};
  asio::ssl::context client_ctx{tls::make_client_context(pki.credentials("s01"))};
  tls::test::LoopbackPair pair{server_ctx, client_ctx};

 private:
  asio::ssl::context make_server() {
    pki.make_ca("ca");
    pki.make_cert("collector", "/CN=collector", "DNS:localhost");
    pki.make_cert("s01", "/CN=s01");
    return tls::make_server_context(pki.credentials("collector"));
  }
};

struct Read {
  boost::system::error_code ec;
  std::string protocol_error;
  wire::Frame frame;
};

// Reads `count` frames (or until the first failure) from the server side.
std::vector<Read> read_frames(Connected& c, tls::FrameChannel& channel, size_t count) {
  std::vector<Read> out;
  std::function<void()> next = [&] {
    channel.read(
        [&](const boost::system::error_code& ec, const std::string& error, wire::Frame frame) {
          out.push_back({ec, error, std::move(frame)});
          if (!ec && error.empty() && out.size() < count) next();
        });
  };
  next();
  c.pair.io.run_for(std::chrono::seconds(20));
  c.pair.io.restart();
  return out;
}

// The client writes `bytes` cut into pieces of `piece` bytes, one TLS
// record each, then (optionally) closes its side.
void client_writes(Connected& c, const std::string& bytes, size_t piece, bool close = false) {
  for (size_t at = 0; at < bytes.size(); at += piece)
    asio::write(*c.pair.client,
                asio::buffer(bytes.data() + at, std::min(piece, bytes.size() - at)));
  if (close) c.pair.client->next_layer().close();
}

std::string frames_text(std::initializer_list<std::pair<wire::MessageType, std::string>> frames) {
  std::string out;
  for (const auto& [type, payload] : frames) out += wire::encode_frame(type, payload);
  return out;
}

}  // namespace

TEST_CASE("frames arrive whole and in order however the peer's writes cut them", "[tls]") {
  const std::string big(40000, 'b');  // spans several reads of the channel
  const std::string bytes = frames_text({{wire::MessageType::hello, "first"},
                                         {wire::MessageType::batch, big},
                                         {wire::MessageType::ack, ""},
                                         {wire::MessageType::batch, "last"}});
  for (size_t piece : {bytes.size(), size_t{1000}, size_t{7}}) {
    INFO("pieces of " << piece << " bytes");
    Connected c;
    tls::FrameChannel channel(*c.pair.server, 1 << 20);
    client_writes(c, bytes, piece);
    auto got = read_frames(c, channel, 4);
    REQUIRE(got.size() == 4);
    for (const auto& r : got) {
      CHECK_FALSE(r.ec);
      CHECK(r.protocol_error.empty());
    }
    CHECK(got[0].frame.type == wire::MessageType::hello);
    CHECK(got[0].frame.payload == "first");
    CHECK(got[1].frame.payload == big);
    CHECK(got[2].frame.type == wire::MessageType::ack);
    CHECK(got[2].frame.payload.empty());
    CHECK(got[3].frame.payload == "last");
    CHECK(channel.bytes_read() == bytes.size());
  }
}

TEST_CASE("frames sent one byte per TLS record are reassembled", "[tls]") {
  Connected c;
  tls::FrameChannel channel(*c.pair.server, 1024);
  client_writes(c, frames_text({{wire::MessageType::hello, "a"}, {wire::MessageType::ack, "bc"}}),
                1);
  auto got = read_frames(c, channel, 2);
  REQUIRE(got.size() == 2);
  CHECK(got[0].frame.payload == "a");
  CHECK(got[1].frame.type == wire::MessageType::ack);
  CHECK(got[1].frame.payload == "bc");
}

TEST_CASE("a header over the maximum is a protocol error after the frames before it", "[tls]") {
  Connected c;
  tls::FrameChannel channel(*c.pair.server, 1024);
  // A valid frame, then a header announcing 1 GiB.
  std::string bytes = frames_text({{wire::MessageType::hello, "ok"}});
  bytes += std::string("\x40\x00\x00\x00\x01\x04", 6);
  client_writes(c, bytes, bytes.size());
  auto got = read_frames(c, channel, 3);
  REQUIRE(got.size() == 2);
  CHECK(got[0].frame.payload == "ok");
  CHECK_FALSE(got[1].ec);
  CHECK_THAT(got[1].protocol_error, Catch::Contains("1073741824"));
  // Sticky: the stream is not read past a bad frame.
  auto again = read_frames(c, channel, 1);
  REQUIRE(again.size() == 1);
  CHECK(again[0].protocol_error == got[1].protocol_error);
}

TEST_CASE("an unknown version or type is a protocol error", "[tls]") {
  Connected c;
  tls::FrameChannel channel(*c.pair.server, 1024);
  client_writes(c, std::string("\x00\x00\x00\x02\x09\x01", 6), 6);
  auto got = read_frames(c, channel, 1);
  REQUIRE(got.size() == 1);
  CHECK_THAT(got[0].protocol_error, Catch::Contains("version"));
}

TEST_CASE("a peer that goes away mid-frame is a transport error, not a frame", "[tls]") {
  Connected c;
  tls::FrameChannel channel(*c.pair.server, 1024);
  std::string bytes = frames_text({{wire::MessageType::batch, std::string(100, 'x')}});
  client_writes(c, bytes.substr(0, 50), 50, true);
  auto got = read_frames(c, channel, 1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].ec);
  CHECK(got[0].protocol_error.empty());
}

TEST_CASE("queued writes reach the peer whole and in order", "[tls]") {
  Connected c;
  tls::FrameChannel channel(*c.pair.server, 1024);
  std::vector<boost::system::error_code> results;
  for (int i = 0; i < 5; ++i)
    channel.write(wire::encode_frame(wire::MessageType::ack, std::string(1, char('0' + i))),
                  [&](const boost::system::error_code& ec) { results.push_back(ec); });
  c.pair.io.run_for(std::chrono::seconds(20));
  REQUIRE(results.size() == 5);
  for (const auto& ec : results) CHECK_FALSE(ec);
  // The client side reads what arrived through its own FrameReader.
  wire::FrameReader reader(1024);
  std::string bytes(5 * 7, '\0');
  asio::read(*c.pair.client, asio::buffer(bytes));
  reader.feed(bytes);
  for (int i = 0; i < 5; ++i) {
    auto f = reader.pop();
    REQUIRE(f);
    CHECK(f->payload == std::string(1, char('0' + i)));
  }
  CHECK(channel.bytes_written() == bytes.size());
}

// The sensor's shipper aborted with a double free when told to stop while a
// batch was being written: closing the socket aborts the write, Asio's SSL
// stream retries it, and the retry completes after whatever was posted to
// free the connection. The operations in flight must hold the owner.
TEST_CASE("a closed channel's owner lives until its last operation has ended", "[tls]") {
  Connected c;
  struct Owner {
    explicit Owner(std::unique_ptr<tls::test::Stream> s)
        : stream(std::move(s)), channel(*stream, 1024) {}
    std::unique_ptr<tls::test::Stream> stream;
    tls::FrameChannel channel;
  };
  auto owner = std::make_shared<Owner>(std::move(c.pair.server));
  owner->channel.hold_owner_while_busy(owner);
  std::weak_ptr<Owner> alive = owner;

  // The client reads nothing, so a frame larger than both sockets' buffers
  // stays in flight; a second one waits behind it, and a read is pending.
  std::vector<boost::system::error_code> writes;
  std::vector<bool> alive_in_handler;
  auto on_write = [&](const boost::system::error_code& ec) {
    writes.push_back(ec);
    alive_in_handler.push_back(!alive.expired());
  };
  owner->channel.write(wire::encode_frame(wire::MessageType::batch, std::string(64 << 20, 'x')),
                       on_write);
  owner->channel.write(wire::encode_frame(wire::MessageType::ack, "1"), on_write);
  boost::system::error_code read_ec;
  owner->channel.read([&](const boost::system::error_code& ec, const std::string&, wire::Frame) {
    read_ec = ec;
    alive_in_handler.push_back(!alive.expired());
  });
  c.pair.io.run_for(std::chrono::milliseconds(300));
  REQUIRE(writes.empty());

  boost::system::error_code ignored;
  owner->stream->lowest_layer().close(ignored);
  owner.reset();
  CHECK_FALSE(alive.expired());  // held by what is still in flight

  for (int i = 0; i < 200 && (writes.size() < 2 || !read_ec); ++i) {
    c.pair.io.run_for(std::chrono::milliseconds(10));
    c.pair.io.restart();
  }
  REQUIRE(writes.size() == 2);
  CHECK(writes[0]);
  CHECK(writes[1]);
  CHECK(read_ec);
  CHECK(alive_in_handler == std::vector<bool>(3, true));
  c.pair.io.run_for(std::chrono::milliseconds(50));
  CHECK(alive.expired());  // and freed once nothing is
}
