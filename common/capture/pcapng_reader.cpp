#include "common/capture/pcapng_reader.h"

#include <cerrno>
#include <cstring>
#include <limits>

#include "common/base/byte_reader.h"

namespace teiten::capture {
namespace {

constexpr uint32_t kSectionHeader = kPcapngMagic;
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kObsoletePacket = 2;
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kEnhancedPacket = 6;

constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint16_t kMajorVersion = 1;
constexpr uint32_t kHeader = 8;    // block type and total length
constexpr uint32_t kTrailer = 4;   // total length again
constexpr uint32_t kSectionMin = kHeader + 16 + kTrailer;
// libpcap refuses a Section Header Block longer than this (BT_SHB_INSANE_MAX).
constexpr uint32_t kSectionMax = 1u << 20;

constexpr uint16_t kEndOfOptions = 0;
constexpr uint16_t kTsResol = 9;
constexpr uint16_t kTsOffset = 14;

// libpcap's max_snaplen_for_dlt(): the snaplen an interface has when its
// IDB says 0 or more than this, and the longest packet it may hold.
uint32_t max_snaplen(int link_type) {
  switch (link_type) {
    case 231:  // D-Bus
      return 128u << 20;
    case 279:  // EBHSCR
      return 8u << 20;
    case 249:  // USBPcap
      return 1u << 20;
    default:
      return 262144;
  }
}

// Reads a section's fields in its byte order through a ByteReader (which
// reads big-endian and checks every length).
class Fields {
 public:
  Fields(const uint8_t* data, size_t size, bool big_endian)
      : r_(data, size), big_endian_(big_endian) {}
  bool u16(uint16_t& v) {
    if (!r_.read_u16(v)) return false;
    if (!big_endian_) v = __builtin_bswap16(v);
    return true;
  }
  bool u32(uint32_t& v) {
    if (!r_.read_u32(v)) return false;
    if (!big_endian_) v = __builtin_bswap32(v);
    return true;
  }
  bool u64(uint64_t& v) {
    uint32_t a = 0, b = 0;
    if (!r_.has(8) || !u32(a) || !u32(b)) return false;
    v = big_endian_ ? (uint64_t{a} << 32 | b) : (uint64_t{b} << 32 | a);
    return true;
  }
  bool skip(size_t n) { return r_.skip(n); }
  size_t remaining() const { return r_.remaining(); }
  const uint8_t* current() const { return r_.current(); }

 private:
  base::ByteReader r_;
  bool big_endian_;
};

std::string block_name(uint32_t type) {
  switch (type) {
    case kSectionHeader:
      return "section header block";
    case kInterfaceDescription:
      return "interface description block";
    case kObsoletePacket:
      return "packet block";
    case kSimplePacket:
      return "simple packet block";
    case kEnhancedPacket:
      return "enhanced packet block";
    default:
      return "block of type " + std::to_string(type);
  }
}

// Exact arithmetic for times: the fraction of a second in nanoseconds
// (units up to 10^19 and 2^63) and whole seconds plus a signed offset.
__extension__ using uint128 = unsigned __int128;
__extension__ using int128 = __int128;

int64_t saturated_seconds(uint64_t whole, int64_t offset) {
  int128 s = static_cast<int128>(whole) + offset;
  if (s > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (s < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(s);
}

}  // namespace

bool is_pcapng_magic(const uint8_t first_four[4]) {
  uint32_t v = 0;
  std::memcpy(&v, first_four, 4);
  return v == kPcapngMagic;  // a palindrome of bytes: either byte order
}

bool PcapngReader::fail(std::string what) {
  error_ = std::move(what);
  return false;
}

bool PcapngReader::fail_block(const std::string& what) {
  return fail("pcapng " + block_name(block_type_) + " at byte " + std::to_string(block_offset_) +
              ": " + what);
}

PcapngReader::Read PcapngReader::read_block() {
  auto read = [this](uint8_t* to, size_t n) {
    size_t got = n == 0 ? 0 : std::fread(to, 1, n, in_);
    offset_ += got;
    return got;
  };
  auto read_error = [this]() {
    fail(std::string("read error: ") + std::strerror(errno));
    return Read::error;
  };
  block_offset_ = offset_;
  uint8_t head[12];
  size_t got = read(head, kHeader);
  if (got < kHeader) {
    if (std::ferror(in_)) return read_error();
    if (got == 0 && in_section_) return Read::end;
    fail(in_section_ ? "pcapng file cut inside the header of the block at byte " +
                           std::to_string(block_offset_)
                     : "not a pcapng file: shorter than a section header block");
    return Read::error;
  }
  uint32_t type = 0;
  std::memcpy(&type, head, 4);  // any order: only compared below once ordered
  bool section = type == kSectionHeader;
  if (!in_section_ && !section) {
    fail("not a pcapng file: it does not start with a section header block");
    return Read::error;
  }
  size_t have = kHeader;
  if (section) {
    // The byte-order magic sets the order of this section, its own length included.
    if (read(head + kHeader, 4) < 4) {
      if (std::ferror(in_)) return read_error();
      fail("pcapng file cut inside the section header block at byte " +
           std::to_string(block_offset_));
      return Read::error;
    }
    have = 12;
    uint32_t bom = 0;
    Fields(head + kHeader, 4, true).u32(bom);
    if (bom == kByteOrderMagic) {
      big_endian_ = true;
    } else if (__builtin_bswap32(bom) == kByteOrderMagic) {
      big_endian_ = false;
    } else {
      block_type_ = kSectionHeader;
      fail_block("byte-order magic is neither 1A2B3C4D nor its byte swap");
      return Read::error;
    }
  }
  uint32_t length = 0;
  Fields header(head, kHeader, big_endian_);
  header.u32(block_type_);
  header.u32(length);
  if (length < kHeader + kTrailer) {
    fail_block("length " + std::to_string(length) + " is below the minimum 12");
    return Read::error;
  }
  if (length % 4 != 0) {
    fail_block("length " + std::to_string(length) + " is not a multiple of 4");
    return Read::error;
  }
  if (section && (length < kSectionMin || length > kSectionMax)) {
    fail_block("length " + std::to_string(length) + " is outside 28.." + std::to_string(kSectionMax));
    return Read::error;
  }
  if (length > kMaxBlock) {
    fail_block("length " + std::to_string(length) + " is above the maximum " +
               std::to_string(kMaxBlock));
    return Read::error;
  }
  if (block_.size() < length) block_.resize(length);  // grows only: no zeroing per block
  std::memcpy(block_.data(), head, have);
  got = read(block_.data() + have, length - have);
  if (got < length - have) {
    if (std::ferror(in_)) return read_error();
    fail_block("the file ends " + std::to_string(length - have - got) +
               " bytes before the block's end (length " + std::to_string(length) + ")");
    return Read::error;
  }
  uint32_t trailer = 0;
  Fields(block_.data() + length - kTrailer, kTrailer, big_endian_).u32(trailer);
  if (trailer != length) {
    fail_block("length " + std::to_string(length) + " in the header but " +
               std::to_string(trailer) + " in the trailer");
    return Read::error;
  }
  block_length_ = length;
  return Read::block;
}

bool PcapngReader::section_header() {
  Fields f(block_.data() + 12, block_length_ - 12 - kTrailer, big_endian_);
  uint16_t major = 0, minor = 0;
  if (!f.u16(major) || !f.u16(minor)) return fail_block("too short");
  if (major != kMajorVersion)
    return fail_block("version " + std::to_string(major) + "." + std::to_string(minor) +
                      " (only version 1 is read)");
  if (in_section_) ++section_;
  in_section_ = true;
  interfaces_.clear();  // each section numbers its interfaces from 0
  return true;
}

bool PcapngReader::interface_description() {
  Fields f(block_.data() + kHeader, block_length_ - kHeader - kTrailer, big_endian_);
  uint16_t link = 0, reserved = 0;
  uint32_t snaplen = 0;
  if (!f.u16(link) || !f.u16(reserved) || !f.u32(snaplen)) return fail_block("too short");
  if (interfaces_.size() >= kMaxInterfaces)
    return fail_block("more than " + std::to_string(kMaxInterfaces) + " interfaces in a section");
  PcapngInterface in;
  in.link_type = link;
  in.snaplen = snaplen == 0 || snaplen > max_snaplen(link) ? max_snaplen(link) : snaplen;
  in.units_per_second = 1'000'000;
  bool saw_resolution = false, saw_offset = false;
  // The options libpcap reads, checked as libpcap checks them; the others are skipped.
  while (f.remaining() > 0) {
    uint16_t code = 0, length = 0;
    if (!f.u16(code) || !f.u16(length)) return fail_block("an option header is cut short");
    const uint8_t* value = f.current();
    if (!f.skip((size_t{length} + 3) / 4 * 4)) return fail_block("an option value is cut short");
    if (code == kEndOfOptions) {
      if (length != 0) return fail_block("opt_endofopt has a length of " + std::to_string(length));
      break;
    }
    if (code == kTsResol) {
      if (length != 1) return fail_block("if_tsresol has a length of " + std::to_string(length));
      if (saw_resolution) return fail_block("more than one if_tsresol");
      saw_resolution = true;
      uint8_t r = value[0];
      if (r & 0x80) {  // a negative power of 2
        if ((r & 0x7F) > 63) return fail_block("if_tsresol 2^-" + std::to_string(r & 0x7F));
        in.units_per_second = uint64_t{1} << (r & 0x7F);
      } else {  // a negative power of 10
        if (r > 19) return fail_block("if_tsresol 10^-" + std::to_string(r));
        in.units_per_second = 1;
        for (int i = 0; i < r; ++i) in.units_per_second *= 10;
      }
    } else if (code == kTsOffset) {
      if (length != 8) return fail_block("if_tsoffset has a length of " + std::to_string(length));
      if (saw_offset) return fail_block("more than one if_tsoffset");
      saw_offset = true;
      uint64_t offset = 0;
      Fields(value, length, big_endian_).u64(offset);
      in.offset_seconds = static_cast<int64_t>(offset);
    }
  }
  interfaces_.push_back(in);
  ++interfaces_seen_;
  if (on_interface_) on_interface_(section_, static_cast<uint32_t>(interfaces_.size() - 1), in);
  return true;
}

bool PcapngReader::packet(uint32_t type, PcapngPacket& out) {
  Fields f(block_.data() + kHeader, block_length_ - kHeader - kTrailer, big_endian_);
  uint32_t interface = 0, high = 0, low = 0, caplen = 0, wirelen = 0;
  bool fixed = true;
  if (type == kEnhancedPacket) {
    fixed = f.u32(interface) && f.u32(high) && f.u32(low) && f.u32(caplen) && f.u32(wirelen);
  } else if (type == kObsoletePacket) {
    uint16_t id = 0, drops = 0;
    fixed = f.u16(id) && f.u16(drops) && f.u32(high) && f.u32(low) && f.u32(caplen) &&
            f.u32(wirelen);
    interface = id;
  } else {  // simple packet block: interface 0, no time, captured up to the snaplen
    fixed = f.u32(wirelen);
  }
  if (!fixed) return fail_block("too short");
  if (interface >= interfaces_.size())
    return fail_block("a packet of interface " + std::to_string(interface) + ", but its section has " +
                      std::to_string(interfaces_.size()) + " interfaces");
  const PcapngInterface& in = interfaces_[interface];
  if (type == kSimplePacket) caplen = wirelen < in.snaplen ? wirelen : in.snaplen;
  if (caplen > in.snaplen)
    return fail_block("captured length " + std::to_string(caplen) + " is above its interface's snaplen " +
                      std::to_string(in.snaplen));
  if (caplen > f.remaining())
    return fail_block("captured length " + std::to_string(caplen) + " runs past the block");
  uint64_t t = uint64_t{high} << 32 | low;
  out.data = f.current();
  out.caplen = caplen;
  out.wirelen = wirelen;
  out.link_type = in.link_type;
  out.interface = interface;
  out.section = section_;
  out.seconds = saturated_seconds(t / in.units_per_second, in.offset_seconds);
  auto fraction = static_cast<uint128>(t % in.units_per_second);
  out.nanoseconds = static_cast<uint32_t>(fraction * 1'000'000'000u / in.units_per_second);
  return true;
}

PcapngReader::Next PcapngReader::next(PcapngPacket& out) {
  if (!error_.empty()) return Next::error;
  for (;;) {
    switch (read_block()) {
      case Read::end:
        if (interfaces_seen_ == 0) {
          // libpcap refuses such a file too: nothing says what its packets would be.
          fail("pcapng file without any interface description block");
          return Next::error;
        }
        return Next::end;
      case Read::error:
        return Next::error;
      case Read::block:
        break;
    }
    bool ok = true;
    switch (block_type_) {
      case kSectionHeader:
        ok = section_header();
        break;
      case kInterfaceDescription:
        ok = interface_description();
        break;
      case kEnhancedPacket:
      case kObsoletePacket:
      case kSimplePacket:
        if (!packet(block_type_, out)) return Next::error;
        return Next::packet;
      default:
        break;  // name resolution, statistics, secrets, custom, ...: not packets
    }
    if (!ok) return Next::error;
  }
}

}  // namespace teiten::capture
