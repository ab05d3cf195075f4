// teiten::wire::Decoded<T> — what every wire decoder returns: a value, or a
// message saying what was wrong with the bytes.
//
// Bytes from the network are untrusted input, not exceptional events, so no
// decoder throws on them; the caller (the collector's or the sensor's
// connection) turns an error into a REFUSE/ERROR or a closed connection and
// a log line. Messages name the field and the offending value.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace teiten::wire {

/// The failure side of Decoded<T>; a distinct type so Decoded<std::string>
/// is unambiguous.
struct DecodeError {
  std::string message;
};

template <class T>
class [[nodiscard]] Decoded {
 public:
  Decoded(T value) : value_(std::move(value)) {}                    // NOLINT: implicit by design
  Decoded(DecodeError error) : error_(std::move(error.message)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  /// Throws std::bad_optional_access when !ok() (a caller bug, not bad input).
  const T& value() const& { return value_.value(); }
  T& value() & { return value_.value(); }
  T&& value() && { return std::move(value_).value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  /// Empty when ok().
  const std::string& error() const { return error_; }

 private:
  std::optional<T> value_;
  std::string error_;
};

}  // namespace teiten::wire
