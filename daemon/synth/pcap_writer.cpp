#include "daemon/synth/pcap_writer.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "daemon/synth/write_progress.h"

namespace teiten::synth {
namespace {

constexpr size_t kBufferSize = 4u << 20;
constexpr uint32_t kMagicMicroseconds = 0xa1b2c3d4;

struct FileHeader {
  uint32_t magic;
  uint16_t version_major, version_minor;
  int32_t thiszone;
  uint32_t sigfigs, snaplen, linktype;
};
struct RecordHeader {
  uint32_t sec, usec, caplen, len;
};
static_assert(sizeof(FileHeader) == 24 && sizeof(RecordHeader) == 16);

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

PcapWriter::PcapWriter(const std::string& path, uint32_t linktype, uint32_t snaplen)
    : path_(path), buffer_(kBufferSize) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) fail("cannot create", path);
  // Native byte order with the standard magic: readers detect the order.
  const FileHeader header{kMagicMicroseconds, 2, 4, 0, 0, snaplen, linktype};
  std::memcpy(buffer_.data(), &header, sizeof header);
  used_ = sizeof header;
  bytes_ = sizeof header;
}

PcapWriter::~PcapWriter() {
  if (file_) std::fclose(file_);
}

void PcapWriter::write(int64_t sec, uint32_t usec, const uint8_t* frame, size_t captured,
                       size_t length) {
  if (buffer_.size() - used_ < sizeof(RecordHeader) + captured) flush();
  if (sec < 0 || sec > UINT32_MAX)
    throw std::runtime_error("packet time outside the pcap range in " + path_);
  const RecordHeader record{static_cast<uint32_t>(sec), usec, static_cast<uint32_t>(captured),
                            static_cast<uint32_t>(length)};
  std::memcpy(buffer_.data() + used_, &record, sizeof record);
  std::memcpy(buffer_.data() + used_ + sizeof record, frame, captured);
  used_ += sizeof record + captured;
  ++packets_;
  bytes_ += sizeof record + captured;
}

void PcapWriter::flush() {
  if (used_ > 0 && std::fwrite(buffer_.data(), 1, used_, file_) != used_)
    fail("cannot write", path_);
  used_ = 0;
  WriteProgress::run().wrote(path_, packets_ - reported_);
  reported_ = packets_;
}

void PcapWriter::close() {
  if (!file_) return;
  flush();
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) fail("cannot close", path_);
  WriteProgress::run().closed();
}

}  // namespace teiten::synth
