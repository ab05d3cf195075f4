// Test helper: writes pcapng files block by block, in either byte order, so
// reader tests state exactly which blocks, options and lengths a file holds
// (including broken ones: raw() appends any bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace teiten::test {

class PcapngBuilder {
 public:
  using Bytes = std::vector<uint8_t>;

  /// A Section Header Block; it sets the byte order of what follows.
  PcapngBuilder& section(bool big_endian = false, uint16_t major = 1, uint16_t minor = 0) {
    big_ = big_endian;
    Bytes body;
    u32(body, 0x1A2B3C4D);
    u16(body, major);
    u16(body, minor);
    u64(body, ~uint64_t{0});  // section length not given
    return block(0x0A0D0D0A, body);
  }
  /// An Interface Description Block. tsresol: the if_tsresol byte; tsoffset: if_tsoffset.
  PcapngBuilder& interface(uint16_t link_type, uint32_t snaplen = 0,
                           std::optional<uint8_t> tsresol = std::nullopt,
                           std::optional<int64_t> tsoffset = std::nullopt) {
    Bytes body;
    u16(body, link_type);
    u16(body, 0);
    u32(body, snaplen);
    option(body, 2, Bytes{'e', 't', 'h', '0'});  // if_name: skipped
    if (tsresol) option(body, 9, Bytes{*tsresol});
    if (tsoffset) {
      Bytes v;
      u64(v, static_cast<uint64_t>(*tsoffset));
      option(body, 14, v);
    }
    option(body, 0, {});
    return block(1, body);
  }
  /// An Enhanced Packet Block; wirelen defaults to the data's length.
  PcapngBuilder& epb(uint32_t interface, uint64_t ts, const Bytes& data,
                     std::optional<uint32_t> wirelen = std::nullopt) {
    Bytes body;
    u32(body, interface);
    u32(body, static_cast<uint32_t>(ts >> 32));
    u32(body, static_cast<uint32_t>(ts));
    u32(body, static_cast<uint32_t>(data.size()));
    u32(body, wirelen.value_or(static_cast<uint32_t>(data.size())));
    append_padded(body, data);
    Bytes flags;
    u32(flags, 1);  // epb_flags: inbound; the reader ignores it
    option(body, 2, flags);
    option(body, 0, {});
    return block(6, body);
  }
  /// A Simple Packet Block (interface 0, no time).
  PcapngBuilder& spb(const Bytes& data, uint32_t wirelen) {
    Bytes body;
    u32(body, wirelen);
    append_padded(body, data);
    return block(3, body);
  }
  /// The obsolete Packet Block.
  PcapngBuilder& pb(uint16_t interface, uint64_t ts, const Bytes& data) {
    Bytes body;
    u16(body, interface);
    u16(body, 0);  // drops
    u32(body, static_cast<uint32_t>(ts >> 32));
    u32(body, static_cast<uint32_t>(ts));
    u32(body, static_cast<uint32_t>(data.size()));
    u32(body, static_cast<uint32_t>(data.size()));
    append_padded(body, data);
    return block(2, body);
  }
  /// Any block: type, body (padded to 4), total length in header and trailer.
  PcapngBuilder& block(uint32_t type, Bytes body) {
    while (body.size() % 4) body.push_back(0);
    auto total = static_cast<uint32_t>(body.size() + 12);
    u32(out_, type);
    u32(out_, total);
    out_.insert(out_.end(), body.begin(), body.end());
    u32(out_, total);
    return *this;
  }
  PcapngBuilder& raw(const Bytes& bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  const Bytes& bytes() const { return out_; }
  std::string str() const { return std::string(out_.begin(), out_.end()); }
  bool big_endian() const { return big_; }

  void u16(Bytes& b, uint16_t v) const {
    if (big_) {
      b.push_back(static_cast<uint8_t>(v >> 8));
      b.push_back(static_cast<uint8_t>(v));
    } else {
      b.push_back(static_cast<uint8_t>(v));
      b.push_back(static_cast<uint8_t>(v >> 8));
    }
  }
  void u32(Bytes& b, uint32_t v) const {
    if (big_) {
      u16(b, static_cast<uint16_t>(v >> 16));
      u16(b, static_cast<uint16_t>(v));
    } else {
      u16(b, static_cast<uint16_t>(v));
      u16(b, static_cast<uint16_t>(v >> 16));
    }
  }
  void u64(Bytes& b, uint64_t v) const {
    if (big_) {
      u32(b, static_cast<uint32_t>(v >> 32));
      u32(b, static_cast<uint32_t>(v));
    } else {
      u32(b, static_cast<uint32_t>(v));
      u32(b, static_cast<uint32_t>(v >> 32));
    }
  }

 private:
  void option(Bytes& body, uint16_t code, const Bytes& value) const {
    u16(body, code);
    u16(body, static_cast<uint16_t>(value.size()));
    append_padded(body, value);
  }
  static void append_padded(Bytes& b, const Bytes& data) {
    b.insert(b.end(), data.begin(), data.end());
    while (b.size() % 4) b.push_back(0);
  }

  Bytes out_;
  bool big_ = false;
};

}  // namespace teiten::test
