// teiten::wire limits — every size and bound of protocol version 1 in one
// place, so the encoders, the decoders, the tests and docs/wire-protocol.md
// agree. Changing any of these changes the protocol: bump kProtocolVersion.
#pragma once

#include <cstddef>
#include <cstdint>

namespace teiten::wire {

constexpr uint8_t kProtocolVersion = 1;

/// The u32 length prefix of every frame.
constexpr size_t kFrameHeaderBytes = 4;
/// version + type: the smallest legal value of the length prefix.
constexpr uint32_t kMinFrameLength = 2;

/// Every u64 count and sequence number: SQLite INTEGER is signed 64-bit.
constexpr uint64_t kMaxCount = (uint64_t{1} << 63) - 1;

// Strings are a u16 length and that many bytes; each field has its own bound.
constexpr size_t kMaxSensorIdBytes = 64;
constexpr size_t kMaxTimezoneBytes = 64;
constexpr size_t kDatabaseIdBytes = 32;  ///< exactly, lowercase hex
constexpr size_t kMaxSoftwareBytes = 64;
constexpr size_t kMaxReasonBytes = 1024;  ///< REFUSE reasons and ERROR messages
constexpr size_t kMaxCounterNameBytes = 64;

/// The largest frame a collector sends a sensor: REFUSE or ERROR with the
/// longest reason (version, type, u16 code, u16 length, text). The sensor
/// reads replies with this limit; the limit for what sensors send is the
/// collector's `listen.max_frame` key.
constexpr uint32_t kMaxReplyFrame = kMinFrameLength + 2 + 2 + kMaxReasonBytes;

/// The largest HELLO frame: four u16-length strings at their bounds. Until
/// a HELLO is accepted the collector reads with this limit, so a peer that
/// has not identified itself cannot make it hold a large frame.
constexpr uint32_t kMaxHelloFrame = kMinFrameLength + 2 + kMaxSensorIdBytes + 2 +
                                    kMaxTimezoneBytes + 2 + kDatabaseIdBytes + 2 +
                                    kMaxSoftwareBytes;

// Batch body record sizes, for bounds checks before any reservation and for
// choosing a batch size that fits the collector's max_frame.
/// day, proto, port, kind, family, IPv4 src, accesses, first_seen, last_seen
constexpr size_t kMinRowBytes = 4 + 1 + 2 + 1 + 1 + 4 + 8 + 8 + 8;
/// The same with an IPv6 source.
constexpr size_t kMaxRowBytes = kMinRowBytes + 12;
/// day, packets, flags, capture_seconds, counter_count
constexpr size_t kMinDayBytes = 4 + 8 + 1 + 8 + 2;
/// A counter's name is never empty: u16 length, one byte, u64 value.
constexpr size_t kMinCounterBytes = 2 + 1 + 8;

}  // namespace teiten::wire
