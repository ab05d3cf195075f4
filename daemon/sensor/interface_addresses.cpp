#include "daemon/sensor/interface_addresses.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>

namespace teiten::sensor {
namespace {

std::optional<base::Prefix> host_prefix(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  base::Prefix p;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    p.address = base::IpAddress::from_bytes(base::Family::v4,
                                            reinterpret_cast<const uint8_t*>(&in->sin_addr));
    p.length = 32;
    return p;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    p.address = base::IpAddress::from_bytes(base::Family::v6, in6->sin6_addr.s6_addr);
    p.length = 128;
    return p;
  }
  return std::nullopt;
}

void sort_unique(std::vector<base::Prefix>& v) {
  std::sort(v.begin(), v.end(),
            [](const base::Prefix& a, const base::Prefix& b) { return a.address < b.address; });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::vector<base::Prefix> interface_addresses(const std::string& interface) {
  std::vector<base::Prefix> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  bool any = interface == "any";
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_name == nullptr) continue;
    if (any ? (i->ifa_flags & IFF_LOOPBACK) != 0 : interface != i->ifa_name) continue;
    if (auto p = host_prefix(i->ifa_addr)) out.push_back(*p);
  }
  freeifaddrs(list);
  sort_unique(out);
  return out;
}

std::vector<base::Prefix> resolve_host(const std::string& host) {
  std::vector<base::Prefix> out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (addrinfo* a = res; a != nullptr; a = a->ai_next)
    if (auto p = host_prefix(a->ai_addr)) out.push_back(*p);
  freeaddrinfo(res);
  sort_unique(out);
  return out;
}

}  // namespace teiten::sensor
