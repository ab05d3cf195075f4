#include "common/base/prefix.h"

#include <charconv>

namespace teiten::base {
namespace {

uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

uint64_t mask_bits(int bits) {  // top `bits` of 64 set, bits in [0, 64]
  if (bits <= 0) return 0;
  if (bits >= 64) return ~uint64_t{0};
  return ~uint64_t{0} << (64 - bits);
}

}  // namespace

std::optional<Prefix> Prefix::parse(std::string_view text) {
  auto slash = text.find('/');
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  int max_len = addr->is_v4() ? 32 : 128;
  int len = max_len;
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || len < 0 ||
        len > max_len)
      return std::nullopt;
  }
  Prefix p{*addr, static_cast<uint8_t>(len)};
  // Reject host bits: clearing them must not change the address.
  Prefix cleared = p;
  for (int bit = len; bit < max_len; ++bit)
    cleared.address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  if (cleared.address != p.address) return std::nullopt;
  return p;
}

bool Prefix::contains(const IpAddress& a) const {
  if (a.family != address.family) return false;
  int full = length / 8, rest = length % 8;
  for (int i = 0; i < full; ++i)
    if (a.bytes[i] != address.bytes[i]) return false;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff00u >> rest);
  return (a.bytes[full] & mask) == address.bytes[full];
}

std::string Prefix::to_string() const {
  return address.to_string() + "/" + std::to_string(length);
}

void PrefixSet::add(const Prefix& p) {
  if (p.address.is_v4()) {
    uint32_t mask = p.length == 0 ? 0 : ~uint32_t{0} << (32 - p.length);
    v4_.push_back({p.address.v4_value() & mask, mask, p.length});
  } else {
    V6 e{};
    e.mask_hi = mask_bits(p.length);
    e.mask_lo = mask_bits(p.length - 64);
    e.net_hi = load_be64(p.address.bytes.data()) & e.mask_hi;
    e.net_lo = load_be64(p.address.bytes.data() + 8) & e.mask_lo;
    e.length = p.length;
    v6_.push_back(e);
  }
}

bool PrefixSet::contains_v6(const uint8_t* addr) const {
  if (v6_.empty()) return false;
  uint64_t hi = load_be64(addr), lo = load_be64(addr + 8);
  for (const auto& e : v6_)
    if ((hi & e.mask_hi) == e.net_hi && (lo & e.mask_lo) == e.net_lo) return true;
  return false;
}

std::vector<Prefix> PrefixSet::prefixes() const {
  std::vector<Prefix> out;
  for (const auto& e : v4_) out.push_back({IpAddress::v4(e.net), e.length});
  for (const auto& e : v6_) {
    Prefix p;
    p.address.family = Family::v6;
    for (int i = 0; i < 8; ++i) {
      p.address.bytes[i] = static_cast<uint8_t>(e.net_hi >> (56 - 8 * i));
      p.address.bytes[8 + i] = static_cast<uint8_t>(e.net_lo >> (56 - 8 * i));
    }
    p.length = e.length;
    out.push_back(p);
  }
  return out;
}

}  // namespace teiten::base
