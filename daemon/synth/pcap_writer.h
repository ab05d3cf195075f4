// teiten::synth::PcapWriter — writes a classic pcap file (microsecond
// timestamps, native byte order, as libpcap's pcap_dump writes them).
//
// Records are appended to a 4 MiB buffer and written with one fwrite per
// buffer: the bench scenarios write millions of 60-byte frames, and a
// syscall or allocation per packet would dominate. Errors (open, write,
// close) throw std::runtime_error naming the file; the destructor closes
// without throwing, so call close() to learn whether the file is complete.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace teiten::synth {

class PcapWriter {
 public:
  static constexpr uint32_t linktype_ethernet = 1;

  PcapWriter(const std::string& path, uint32_t linktype = linktype_ethernet,
             uint32_t snaplen = 65535);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// Appends one record captured whole (caplen == len).
  void write(int64_t sec, uint32_t usec, const uint8_t* frame, size_t length) {
    write(sec, usec, frame, length, length);
  }
  /// Appends one record of which only the first `captured` bytes were kept.
  void write(int64_t sec, uint32_t usec, const uint8_t* frame, size_t captured, size_t length);
  /// Flushes and closes; throws when any byte could not be written.
  void close();

  uint64_t packets() const { return packets_; }
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  void flush();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<uint8_t> buffer_;
  size_t used_ = 0;
  uint64_t packets_ = 0, bytes_ = 0;
  uint64_t reported_ = 0;  // packets told to WriteProgress
};

}  // namespace teiten::synth
