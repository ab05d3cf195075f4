// teiten::wire text rules — the bounds and alphabets of the wire's string
// fields, shared by the encoders (which throw on a violation: only a bug or
// an unchecked config makes one) and the decoders (which return an error).
//
// Identifiers are held to the alphabets the configuration accepts, so a
// peer cannot smuggle control bytes or spaces into the collector's logs
// and database through an id it could never be allowlisted under. Human
// text (reasons, messages) is bounded but otherwise free.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/wire/byte_writer.h"
#include "common/wire/limits.h"
#include "common/wire/payload_reader.h"

namespace teiten::wire {

struct TextRule {
  std::string_view field;
  size_t min;
  size_t max;
  bool (*byte_ok)(unsigned char);  ///< nullptr: any byte
  std::string_view alphabet;       ///< for messages: what byte_ok accepts
};

namespace text_bytes {
inline bool digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
inline bool lower(unsigned char c) {
  return c >= 'a' && c <= 'z';
}
inline bool alnum(unsigned char c) {
  return digit(c) || lower(c) || (c >= 'A' && c <= 'Z');
}
inline bool sensor_id(unsigned char c) {
  return alnum(c) || c == '.' || c == '_' || c == '-';
}
inline bool zone_name(unsigned char c) {
  return alnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
}
inline bool lower_hex(unsigned char c) {
  return digit(c) || (c >= 'a' && c <= 'f');
}
inline bool printable(unsigned char c) {
  return c >= 0x20 && c <= 0x7E;
}
inline bool counter_name(unsigned char c) {
  return digit(c) || lower(c) || c == '.' || c == '_';
}
}  // namespace text_bytes

constexpr TextRule kSensorIdRule{"sensor_id", 1, kMaxSensorIdBytes, text_bytes::sensor_id,
                                 "letters, digits, '.', '_' and '-'"};
constexpr TextRule kTimezoneRule{"timezone", 1, kMaxTimezoneBytes, text_bytes::zone_name,
                                 "letters, digits, '/', '_', '-' and '+'"};
constexpr TextRule kDatabaseIdRule{"database_id", kDatabaseIdBytes, kDatabaseIdBytes,
                                   text_bytes::lower_hex, "lowercase hex digits"};
constexpr TextRule kSoftwareRule{"software", 0, kMaxSoftwareBytes, text_bytes::printable,
                                 "printable ASCII"};
constexpr TextRule kReasonRule{"reason", 0, kMaxReasonBytes, nullptr, ""};
constexpr TextRule kMessageRule{"message", 0, kMaxReasonBytes, nullptr, ""};
constexpr TextRule kCounterNameRule{"counter name", 1, kMaxCounterNameBytes,
                                    text_bytes::counter_name, "a-z, 0-9, '.' and '_'"};

/// Empty when `value` obeys the rule, else what is wrong, naming the field.
inline std::string text_problem(const TextRule& rule, std::string_view value) {
  std::string field(rule.field);
  if (value.size() < rule.min || value.size() > rule.max) {
    std::string bound = rule.min == rule.max
                            ? "exactly " + std::to_string(rule.min)
                            : std::to_string(rule.min) + ".." + std::to_string(rule.max);
    return field + " is " + std::to_string(value.size()) + " bytes, not " + bound;
  }
  if (rule.byte_ok)
    for (size_t i = 0; i < value.size(); ++i)
      if (!rule.byte_ok(static_cast<unsigned char>(value[i])))
        return field + " has byte " + std::to_string(static_cast<unsigned char>(value[i])) +
               " at index " + std::to_string(i) + "; only " + std::string(rule.alphabet) +
               " are allowed";
  return {};
}

/// Reads a string field and checks it against the rule; the length bound is
/// checked before the bytes are looked at.
inline bool read_text(PayloadReader& in, const TextRule& rule, std::string_view& out) {
  if (!in.string(out, rule.field, rule.max)) return false;
  std::string problem = text_problem(rule, out);
  return problem.empty() || in.fail(std::move(problem));
}

/// Writes a string field; throws std::invalid_argument ("<what>: <problem>")
/// for a value the peer would refuse.
inline void write_text(ByteWriter& out, const TextRule& rule, std::string_view value,
                       std::string_view what) {
  std::string problem = text_problem(rule, value);
  if (!problem.empty()) throw std::invalid_argument(std::string(what) + ": " + problem);
  out.string(value);
}

}  // namespace teiten::wire
