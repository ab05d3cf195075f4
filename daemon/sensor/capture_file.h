// CaptureFile — one capture file opened for `--read`. Its first four bytes
// choose the reader: pcapng files go through teiten's own reader
// (common/capture/pcapng_reader.h), which gives every packet the link type
// of its interface, so a file whose interfaces have different link types is
// counted whole; everything else (pcap) through libpcap, as before. The
// pcapng reader is used for every pcapng file, not only those libpcap
// refuses: libpcap refuses a mixed file only at the first interface of
// another link type, possibly after packets, and a pipe cannot be read again.
//
// A pipe or FIFO is read once: the four bytes looked at are handed back in
// front of the rest of the stream, so either reader sees the file whole.
// Used by read_capture_file on the capture thread only.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/capture/pcapng_reader.h"
#include "common/tally/packet_counter.h"

namespace teiten::sensor {

class CapturePipeline;

class CaptureFile {
 public:
  /// Opens `path` ("-": standard input). nullptr with `error` set when the
  /// file cannot be opened or is no capture file libpcap or the pcapng reader takes.
  static std::unique_ptr<CaptureFile> open(const std::string& path, std::string& error);
  ~CaptureFile();
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  bool is_pcapng() const { return pcapng_ != nullptr; }
  /// A pcap file's link type; nullopt for pcapng (each interface has its own).
  std::optional<int> link_type() const;
  /// Counts up to `most` packets through `pipeline`, each decoded with its
  /// own link type. As pcap_dispatch: the packets counted, 0 at the end of the
  /// file, PCAP_ERROR when the file failed (error() says why; packets
  /// counted before the failure stay counted).
  int dispatch(int most, CapturePipeline& pipeline);
  std::string error() const;
  uint64_t bytes_read() const;
  /// The file's size; nullopt for a pipe.
  std::optional<uint64_t> size() const { return size_; }
  /// Called with each pcapng interface as it is described (section, number,
  /// link type), for the log.
  void on_interface(std::function<void(uint64_t, uint32_t, int)> note);

 private:
  CaptureFile() = default;

  std::unique_ptr<char[]> buffer_;  // the stream's stdio buffer: outlives the stream
  FILE* stream_ = nullptr;          // what the reader reads; owned unless stdin
  pcap_t* pcap_ = nullptr;          // owns stream_ once it opened it
  std::unique_ptr<capture::PcapngReader> pcapng_;
  std::optional<uint64_t> size_;
};

}  // namespace teiten::sensor
