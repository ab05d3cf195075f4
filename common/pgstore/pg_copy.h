// teiten::pgstore binary COPY — rows to and from PostgreSQL's binary COPY
// format (the "PGCOPY" stream: a header, then per tuple a field count and
// length-prefixed big-endian fields, then -1). Binary COPY is the server's
// fastest bulk path: no text to format or parse on either side, and an
// inet or a date is a few fixed bytes.
//
// CopyWriter builds the stream for the staging table of a batch
// (kStagingColumns). CopyReader walks a stream COPY ... TO STDOUT (FORMAT
// binary) returns, bounded by the bytes it holds; a short or malformed
// stream throws store::StoreError (it comes from our own server, but a
// cut connection must not read past the buffer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/day_clock.h"
#include "common/base/ip_address.h"
#include "common/tally/row.h"

namespace teiten::pgstore {

/// The staging table's columns, in the order CopyWriter writes them.
inline constexpr const char* kStagingColumns =
    "day date, proto smallint, port integer, kind smallint, src inet, accesses bigint,"
    " first_seen bigint, last_seen bigint";

/// PostgreSQL dates count days from 2000-01-01; teiten's from 1970-01-01.
inline constexpr int32_t kPgEpochDay = 10957;

class CopyWriter {
 public:
  CopyWriter();
  void row(const tally::Row& r);
  size_t rows() const { return rows_; }
  /// The complete stream; the writer is spent.
  std::string finish();

 private:
  void int16(int16_t v);
  void int32(int32_t v);
  void int64(int64_t v);
  void field(int32_t length) { int32(length); }

  std::string out_;
  size_t rows_ = 0;
};

/// Reads the tuples of one binary COPY stream, fed in chunks as libpq
/// returns them (each chunk one tuple, or the header with the first).
class CopyReader {
 public:
  /// Feeds one chunk; returns true when it held a tuple (then fields
  /// are readable through the accessors until the next feed).
  bool feed(std::string_view chunk);
  int fields() const { return fields_; }
  bool is_null(int i) const;
  int16_t int16(int i) const;
  int32_t int32(int i) const;
  int64_t int64(int i) const;
  base::Day date(int i) const { return int32(i) + kPgEpochDay; }
  base::IpAddress inet(int i) const;
  std::string_view bytes(int i) const;

 private:
  std::string_view field(int i, size_t size) const;

  bool header_seen_ = false;
  int fields_ = 0;
  std::string_view data_[16];
  bool null_[16] = {};
};

}  // namespace teiten::pgstore
