#include "daemon/sensor/capture_file.h"

#include <stdio_ext.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "daemon/sensor/capture_pipeline.h"

namespace teiten::sensor {
namespace {

// libpcap reads a savefile with two freads per packet, and so does the pcapng
// reader per block. Once the store thread exists glibc locks the stream on
// each, about a tenth of a replay's time; only this thread touches the
// stream, so locking is ours to skip. A larger buffer also cuts the read
// syscalls.
constexpr size_t kReadBuffer = 1 << 20;

std::unique_ptr<char[]> tune(FILE* fp) {
  __fsetlocking(fp, FSETLOCKING_BYCALLER);
  auto buffer = std::make_unique_for_overwrite<char[]>(kReadBuffer);  // stdio fills it; no memset
  std::setvbuf(fp, buffer.get(), _IOFBF, kReadBuffer);
  return buffer;
}

void close_unless_stdin(FILE* fp) {
  if (fp && fp != stdin) std::fclose(fp);
}

// A pipe's first bytes, already read to choose the reader, handed back in
// front of the rest of it. Reads the descriptor directly, one read() per
// call, so a slow pipe delivers what it has as it did through stdio.
struct Replayed {
  FILE* source;  // closed with the stream unless stdin
  uint8_t head[4];
  size_t size = 0;
  size_t at = 0;
};

ssize_t replayed_read(void* cookie, char* to, size_t n) {
  auto* r = static_cast<Replayed*>(cookie);
  if (r->at < r->size) {
    size_t k = std::min(n, r->size - r->at);
    std::memcpy(to, r->head + r->at, k);
    r->at += k;
    return static_cast<ssize_t>(k);
  }
  return ::read(fileno(r->source), to, n);  // -1 with errno (EINTR included) is a read error
}

int replayed_close(void* cookie) {
  auto* r = static_cast<Replayed*>(cookie);
  close_unless_stdin(r->source);
  delete r;
  return 0;
}

// Up to n bytes from a descriptor (fewer only at its end); -1 on an error.
ssize_t read_up_to(int fd, uint8_t* to, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = ::read(fd, to + got, n - got);
    if (k < 0) return -1;
    if (k == 0) break;
    got += static_cast<size_t>(k);
  }
  return static_cast<ssize_t>(got);
}

std::optional<uint64_t> regular_file_size(FILE* fp) {
  struct stat st {};
  int fd = fp ? fileno(fp) : -1;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::unique_ptr<CaptureFile> CaptureFile::open(const std::string& path, std::string& error) {
  std::unique_ptr<CaptureFile> f(new CaptureFile());
  FILE* fp = path == "-" ? stdin : std::fopen(path.c_str(), "rb");  // "-": libpcap's name too
  if (!fp) {
    error = std::strerror(errno);
    return nullptr;
  }
  uint8_t magic[4] = {};
  size_t got = 0;
  if (::lseek(fileno(fp), 0, SEEK_CUR) >= 0) {
    // A file: look, then go back. Standard input keeps libpcap's buffering
    // (a buffer of ours would outlive this object inside stdin).
    if (fp != stdin) f->buffer_ = tune(fp);
    off_t start = ftello(fp);
    got = std::fread(magic, 1, 4, fp);
    if (std::ferror(fp) || fseeko(fp, start, SEEK_SET) != 0) {
      error = std::strerror(errno);
      close_unless_stdin(fp);
      return nullptr;
    }
    f->stream_ = fp;
  } else {
    ssize_t n = read_up_to(fileno(fp), magic, 4);
    if (n < 0) {
      error = std::strerror(errno);
      close_unless_stdin(fp);
      return nullptr;
    }
    auto* r = new Replayed{fp, {}, static_cast<size_t>(n), 0};
    std::memcpy(r->head, magic, static_cast<size_t>(n));
    got = static_cast<size_t>(n);
    f->stream_ = fopencookie(r, "rb", {replayed_read, nullptr, nullptr, replayed_close});
    if (!f->stream_) {
      error = std::strerror(errno);
      replayed_close(r);
      return nullptr;
    }
    f->buffer_ = tune(f->stream_);
  }
  f->size_ = regular_file_size(f->stream_);

  if (got == 4 && capture::is_pcapng_magic(magic)) {
    f->pcapng_ = std::make_unique<capture::PcapngReader>(f->stream_);
    return f;
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  f->pcap_ = pcap_fopen_offline_with_tstamp_precision(f->stream_, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!f->pcap_) {
    error = errbuf;
    return nullptr;  // the destructor closes the stream: libpcap owns it only once it opened
  }
  return f;
}

CaptureFile::~CaptureFile() {
  if (pcap_)
    pcap_close(pcap_);  // closes stream_ unless it is stdin
  else
    close_unless_stdin(stream_);
}

std::optional<int> CaptureFile::link_type() const {
  if (pcap_) return pcap_datalink(pcap_);
  return std::nullopt;
}

int CaptureFile::dispatch(int most, CapturePipeline& pipeline) {
  if (pcap_)
    return pcap_dispatch(pcap_, most, &CapturePipeline::on_packet, pipeline.callback_arg());
  tally::PacketCounter& counter = pipeline.counter();
  capture::PcapngPacket p;
  int n = 0;
  while (n < most) {
    auto next = pcapng_->next(p);
    if (next == capture::PcapngReader::Next::end) return n;
    if (next == capture::PcapngReader::Next::error) return PCAP_ERROR;
    if (p.link_type != counter.link_type()) counter.set_link_type(p.link_type);
    pipeline.count(p.seconds, p.data, p.caplen, p.wirelen);
    ++n;
  }
  return n;
}

void CaptureFile::on_interface(std::function<void(uint64_t, uint32_t, int)> note) {
  if (!pcapng_) return;
  pcapng_->on_interface([note = std::move(note)](uint64_t section, uint32_t number,
                                                  const capture::PcapngInterface& in) {
    note(section, number, in.link_type);
  });
}

std::string CaptureFile::error() const {
  if (pcap_) return pcap_geterr(pcap_);
  return pcapng_ ? pcapng_->error() : std::string();
}

uint64_t CaptureFile::bytes_read() const {
  if (pcapng_) return pcapng_->offset();
  long offset = std::ftell(pcap_file(pcap_));
  return offset > 0 ? static_cast<uint64_t>(offset) : 0;
}

}  // namespace teiten::sensor
