#include "common/pgstore/pg_copy.h"

#include "common/store/store_error.h"

namespace teiten::pgstore {
namespace {

// "PGCOPY\n\377\r\n\0", then flags and header-extension length (both 0).
constexpr char kSignature[] = "PGCOPY\n\377\r\n";
constexpr size_t kSignatureSize = 11;  // with its NUL
constexpr size_t kHeaderSize = kSignatureSize + 8;

// PostgreSQL's own address-family codes in inet's binary form (not AF_*).
constexpr uint8_t kPgAfInet = 2;
constexpr uint8_t kPgAfInet6 = 3;

uint64_t big_endian(std::string_view b) {
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

[[noreturn]] void malformed(const std::string& what) {
  throw store::StoreError("malformed COPY stream from PostgreSQL: " + what, 0);
}

}  // namespace

CopyWriter::CopyWriter() {
  out_.append(kSignature, kSignatureSize);
  int32(0);
  int32(0);
}

void CopyWriter::int16(int16_t v) {
  auto u = static_cast<uint16_t>(v);
  out_ += static_cast<char>(u >> 8);
  out_ += static_cast<char>(u);
}

void CopyWriter::int32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out_ += static_cast<char>(u >> shift);
}

void CopyWriter::int64(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out_ += static_cast<char>(u >> shift);
}

void CopyWriter::row(const tally::Row& r) {
  ++rows_;
  int16(8);
  field(4);
  int32(r.day - kPgEpochDay);
  field(2);
  int16(static_cast<int16_t>(r.proto));
  field(4);
  int32(r.port);
  field(2);
  int16(static_cast<int16_t>(r.kind));
  bool v4 = r.src.is_v4();
  int32_t nb = v4 ? 4 : 16;
  field(4 + nb);
  out_ += static_cast<char>(v4 ? kPgAfInet : kPgAfInet6);
  out_ += static_cast<char>(v4 ? 32 : 128);  // bits: a host address
  out_ += '\0';                              // not cidr
  out_ += static_cast<char>(nb);
  out_.append(reinterpret_cast<const char*>(r.src.bytes.data()), static_cast<size_t>(nb));
  field(8);
  int64(static_cast<int64_t>(r.accesses));
  field(8);
  int64(r.first_seen);
  field(8);
  int64(r.last_seen);
}

std::string CopyWriter::finish() {
  int16(-1);
  return std::move(out_);
}

bool CopyReader::feed(std::string_view chunk) {
  if (!header_seen_) {
    if (chunk.size() < kHeaderSize ||
        chunk.substr(0, kSignatureSize) != std::string_view(kSignature, kSignatureSize))
      malformed("no PGCOPY header");
    auto extension = big_endian(chunk.substr(kSignatureSize + 4, 4));
    if (extension > chunk.size() - kHeaderSize) malformed("header extension past the chunk");
    chunk.remove_prefix(kHeaderSize + extension);
    header_seen_ = true;
    if (chunk.empty()) return false;
  }
  if (chunk.size() < 2) malformed("tuple without a field count");
  auto count = static_cast<int16_t>(big_endian(chunk.substr(0, 2)));
  chunk.remove_prefix(2);
  if (count == -1) return false;  // trailer
  if (count < 0 || count > 16) malformed("field count " + std::to_string(count));
  fields_ = count;
  for (int i = 0; i < count; ++i) {
    if (chunk.size() < 4) malformed("field length cut off");
    auto length = static_cast<int32_t>(big_endian(chunk.substr(0, 4)));
    chunk.remove_prefix(4);
    null_[i] = length == -1;
    if (null_[i]) {
      data_[i] = {};
      continue;
    }
    if (length < 0 || static_cast<size_t>(length) > chunk.size()) malformed("field past the chunk");
    data_[i] = chunk.substr(0, static_cast<size_t>(length));
    chunk.remove_prefix(static_cast<size_t>(length));
  }
  return true;
}

std::string_view CopyReader::field(int i, size_t size) const {
  if (i < 0 || i >= fields_) malformed("no field " + std::to_string(i));
  if (null_[i]) malformed("NULL in field " + std::to_string(i));
  if (size && data_[i].size() != size)
    malformed("field " + std::to_string(i) + " has " + std::to_string(data_[i].size()) +
              " bytes, expected " + std::to_string(size));
  return data_[i];
}

bool CopyReader::is_null(int i) const {
  return i >= 0 && i < fields_ && null_[i];
}

int16_t CopyReader::int16(int i) const {
  return static_cast<int16_t>(big_endian(field(i, 2)));
}

int32_t CopyReader::int32(int i) const {
  return static_cast<int32_t>(big_endian(field(i, 4)));
}

int64_t CopyReader::int64(int i) const {
  return static_cast<int64_t>(big_endian(field(i, 8)));
}

std::string_view CopyReader::bytes(int i) const {
  return field(i, 0);
}

base::IpAddress CopyReader::inet(int i) const {
  auto b = field(i, 0);
  if (b.size() < 4) malformed("inet too short");
  auto family = static_cast<uint8_t>(b[0]);
  auto nb = static_cast<uint8_t>(b[3]);
  bool v4 = family == kPgAfInet;
  if ((!v4 && family != kPgAfInet6) || nb != (v4 ? 4 : 16) || b.size() != 4u + nb)
    malformed("inet of family " + std::to_string(family) + " with " + std::to_string(nb) +
              " bytes");
  return base::IpAddress::from_bytes(v4 ? base::Family::v4 : base::Family::v6,
                                     reinterpret_cast<const uint8_t*>(b.data() + 4));
}

}  // namespace teiten::pgstore
