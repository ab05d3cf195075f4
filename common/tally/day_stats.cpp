#include "common/tally/day_stats.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace teiten::tally {
namespace {

constexpr std::array<std::string_view, kIgnoredReasons> kIgnoredNames = {
    "outgoing", "not_observed", "own_source", "ignored_source", "collector"};

constexpr std::string_view kMalformedPrefix = "malformed.";
constexpr std::string_view kIgnoredPrefix = "ignored.";
constexpr std::string_view kNonIpPrefix = "non_ip.0x";

void add_optional(std::optional<uint64_t>& into, const std::optional<uint64_t>& from) {
  if (from) into = into.value_or(0) + *from;
}

}  // namespace

std::string_view name(Ignored reason) {
  return kIgnoredNames.at(static_cast<size_t>(reason));
}

void DayStats::merge(const DayStats& o) {
  packets += o.packets;
  for (size_t i = 0; i < accesses.size(); ++i) accesses[i] += o.accesses[i];
  for (size_t i = 0; i < malformed.size(); ++i) malformed[i] += o.malformed[i];
  for (size_t i = 0; i < ignored.size(); ++i) ignored[i] += o.ignored[i];
  for (const auto& [k, v] : o.non_ip) non_ip[k] += v;
  if (o.first_packet < first_packet) first_packet = o.first_packet;
  if (o.last_packet > last_packet) last_packet = o.last_packet;
  capture_seconds += o.capture_seconds;
  add_optional(kernel_drops, o.kernel_drops);
  add_optional(if_drops, o.if_drops);
}

uint64_t DayStats::malformed_total() const {
  uint64_t t = 0;
  for (auto v : malformed) t += v;
  return t;
}

uint64_t DayStats::ignored_total() const {
  uint64_t t = 0;
  for (auto v : ignored) t += v;
  return t;
}

uint64_t DayStats::non_ip_total() const {
  uint64_t t = 0;
  for (const auto& [k, v] : non_ip) t += v;
  return t;
}

std::string non_ip_counter_name(uint32_t link_protocol) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "non_ip.0x%04x", link_protocol);
  return buf;
}

std::vector<NamedCounter> named_counters(const DayStats& s) {
  std::vector<NamedCounter> out;
  for (int i = 1; i < packet::kMalformedReasons; ++i)
    if (s.malformed[i])
      out.push_back({std::string(kMalformedPrefix) +
                         std::string(packet::name(static_cast<packet::Malformed>(i))),
                     s.malformed[i]});
  for (int i = 0; i < kIgnoredReasons; ++i)
    if (s.ignored[i])
      out.push_back(
          {std::string(kIgnoredPrefix) + std::string(name(static_cast<Ignored>(i))), s.ignored[i]});
  for (const auto& [k, v] : s.non_ip)
    if (v) out.push_back({non_ip_counter_name(k), v});
  return out;
}

bool add_named_counter(DayStats& s, std::string_view n, uint64_t value) {
  if (n.substr(0, kMalformedPrefix.size()) == kMalformedPrefix) {
    auto reason = n.substr(kMalformedPrefix.size());
    for (int i = 1; i < packet::kMalformedReasons; ++i)
      if (packet::name(static_cast<packet::Malformed>(i)) == reason) {
        s.malformed[i] += value;
        return true;
      }
    return false;
  }
  if (n.substr(0, kIgnoredPrefix.size()) == kIgnoredPrefix) {
    auto reason = n.substr(kIgnoredPrefix.size());
    for (int i = 0; i < kIgnoredReasons; ++i)
      if (name(static_cast<Ignored>(i)) == reason) {
        s.ignored[i] += value;
        return true;
      }
    return false;
  }
  if (n.substr(0, kNonIpPrefix.size()) == kNonIpPrefix) {
    auto hex = n.substr(kNonIpPrefix.size());
    uint32_t proto = 0;
    auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), proto, 16);
    if (ec != std::errc() || end != hex.data() + hex.size() || hex.empty()) return false;
    s.non_ip[proto] += value;
    return true;
  }
  return false;
}

}  // namespace teiten::tally
