// teiten::capture::PcapngReader — reads a pcapng capture file block by block
// and hands out its packets with the link type of the interface each came
// from (README.md, "Counting a capture file").
//
// libpcap reads pcapng too, but it refuses a file whose interfaces have
// different link types (a capture on Ethernet and loopback at once), and its
// per-packet call does not say which interface a packet came from. This
// reader gives every packet its interface's link type. On the files libpcap
// reads, it reads the same packets, lengths and times (tests/capture compares
// the two on every single-link-type pcapng the tests hold, and fuzz_pcapng on
// any bytes); beyond libpcap it accepts interfaces of different link types
// and sections of different byte orders in one file.
//
// Blocks: Section Header (either byte order; interface numbers start again in
// each section), Interface Description (link type, snaplen, if_tsresol in
// powers of 10 or 2, if_tsoffset), Enhanced Packet, Simple Packet (interface
// 0) and the obsolete Packet Block; every other block (name resolution,
// statistics, decryption secrets, custom, ...) is skipped by its length.
//
// Bounded: a block's length is checked (at least 12, a multiple of 4, at most
// kMaxBlock, equal to its trailer) before it is read whole into one reused
// buffer, every field is read through a bounds-checked cursor over that
// block, and a section may describe at most kMaxInterfaces interfaces. A
// block that breaks the format ends the read: next() returns error and
// error() names the block and its byte offset, as libpcap ends on such a
// block; the packets before it stay read. Nothing here throws for the file's
// content or logs. Not thread-safe; one reader per stream.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace teiten::capture {

/// The first four bytes of a pcapng file (a Section Header Block's type; the
/// same in both byte orders).
constexpr uint32_t kPcapngMagic = 0x0A0D0D0A;
bool is_pcapng_magic(const uint8_t first_four[4]);

struct PcapngPacket {
  const uint8_t* data = nullptr;  ///< caplen bytes; valid until the next call of next()
  uint32_t caplen = 0;            ///< bytes captured
  uint32_t wirelen = 0;           ///< the packet's length on the wire
  int link_type = -1;             ///< its interface's LINKTYPE_ value
  uint32_t interface = 0;         ///< the interface's number within its section
  uint64_t section = 0;           ///< 0 for the file's first section, then 1, ...
  /// Unix seconds: the timestamp in the interface's units, divided by its
  /// resolution, plus its if_tsoffset; saturated at the int64 limits.
  int64_t seconds = 0;
  uint32_t nanoseconds = 0;  ///< the fraction of that second, rounded down
};

/// What the reader knows of one interface of the current section.
struct PcapngInterface {
  int link_type = -1;
  uint32_t snaplen = 0;            ///< as libpcap adjusts it: 0 or too large means the maximum
  uint64_t units_per_second = 0;   ///< if_tsresol (default 10^6)
  int64_t offset_seconds = 0;      ///< if_tsoffset (default 0)
};

class PcapngReader {
 public:
  /// Largest block read (libpcap's limit for the common link types): a
  /// longer one is an error, never an allocation.
  static constexpr uint32_t kMaxBlock = 16u << 20;
  /// Interfaces one section may describe.
  static constexpr uint32_t kMaxInterfaces = 1u << 16;

  enum class Next { packet, end, error };

  /// Reads from `in` (not owned), positioned at the file's first byte.
  explicit PcapngReader(FILE* in) : in_(in) {}

  /// The next packet; `end` at the end of the file after a whole block;
  /// `error` for a block that breaks the format, a file cut inside a block,
  /// or a read error (then error() says which, and every later call returns
  /// error too).
  Next next(PcapngPacket& out);
  const std::string& error() const { return error_; }
  /// Bytes of the file consumed so far.
  uint64_t offset() const { return offset_; }
  /// The interfaces of the current section, in the order they were described.
  const std::vector<PcapngInterface>& interfaces() const { return interfaces_; }
  /// The current section: 0 for the file's first, then 1, ...
  uint64_t section() const { return section_; }
  /// Interfaces described so far, in all sections.
  uint64_t interfaces_seen() const { return interfaces_seen_; }
  /// Called with each interface as its block is read (section, number in
  /// it, the interface), before any packet of it: for callers that log them.
  using InterfaceHook = std::function<void(uint64_t, uint32_t, const PcapngInterface&)>;
  void on_interface(InterfaceHook hook) { on_interface_ = std::move(hook); }

 private:
  enum class Read { block, end, error };
  Read read_block();
  bool section_header();
  bool interface_description();
  bool packet(uint32_t type, PcapngPacket& out);
  bool fail(std::string what);
  bool fail_block(const std::string& what);

  FILE* in_;
  std::vector<uint8_t> block_;  // the current block, header and trailer included
  uint32_t block_type_ = 0;
  uint32_t block_length_ = 0;
  uint64_t block_offset_ = 0;
  uint64_t offset_ = 0;
  bool big_endian_ = false;  // the current section's byte order
  bool in_section_ = false;
  uint64_t section_ = 0;
  uint64_t interfaces_seen_ = 0;
  std::vector<PcapngInterface> interfaces_;
  InterfaceHook on_interface_;
  std::string error_;
};

}  // namespace teiten::capture
