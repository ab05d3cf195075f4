// teiten::base::Prefix and PrefixSet — address/length matching for the
// observed, ignored and own-address rules. A PrefixSet is built once per
// configuration and read on the capture thread's hot path, so contains()
// allocates nothing and touches only the set's own vectors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/ip_address.h"

namespace teiten::base {

struct Prefix {
  IpAddress address;  ///< host bits cleared
  uint8_t length = 0;

  /// "192.0.2.0/24", "2001:db8::/32", or a bare address (full length).
  /// Host bits set beyond the length are an error (nullopt): "10.1.2.3/8"
  /// is more likely a typo than a wish.
  static std::optional<Prefix> parse(std::string_view text);
  bool contains(const IpAddress& a) const;
  std::string to_string() const;
  bool operator==(const Prefix&) const = default;
};

class PrefixSet {
 public:
  void add(const Prefix& p);
  bool empty() const { return v4_.empty() && v6_.empty(); }
  size_t size() const { return v4_.size() + v6_.size(); }
  /// IPv4 address in host order.
  bool contains_v4(uint32_t addr) const {
    for (const auto& e : v4_)
      if ((addr & e.mask) == e.net) return true;
    return false;
  }
  /// IPv6 address as 16 network-order bytes.
  bool contains_v6(const uint8_t* addr) const;
  bool contains(const IpAddress& a) const {
    return a.is_v4() ? contains_v4(a.v4_value()) : contains_v6(a.bytes.data());
  }
  std::vector<Prefix> prefixes() const;

 private:
  struct V4 {
    uint32_t net, mask;
    uint8_t length;
  };
  struct V6 {
    uint64_t net_hi, net_lo, mask_hi, mask_lo;
    uint8_t length;
  };
  std::vector<V4> v4_;
  std::vector<V6> v6_;
};

}  // namespace teiten::base
