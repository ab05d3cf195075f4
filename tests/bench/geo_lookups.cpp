// teiten-bench-geo: lookups per second of the report's Locator over its
// default libloc database, beside the floor measured in the same run: a bare
// loop over libloc's C API (lookup, country, ASN) on the same addresses.
//   teiten-bench-geo [ADDRESSES]     prints one JSON object
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/geo/libloc_database.h"
#include "common/geo/locator.h"
#include "common/geo/network_ranges.h"

extern "C" {
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
}

using namespace teiten;

namespace {

uint64_t next(uint64_t& s) {  // splitmix64
  uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Nine in ten IPv4 addresses at random, one in ten IPv6 from real networks.
std::vector<base::IpAddress> addresses(size_t n) {
  uint64_t s = 42;
  std::vector<base::IpAddress> out;
  auto v6 = geo::LibLocDatabase().networks_of({"CN", "US", "JP", "DE", "BR"}, base::Family::v6);
  std::vector<base::Prefix> nets;
  for (auto& [country, list] : v6) nets.insert(nets.end(), list.begin(), list.end());
  for (size_t i = 0; i < n; ++i) {
    if (i % 10 != 9) {
      out.push_back(base::IpAddress::v4(static_cast<uint32_t>(next(s))));
      continue;
    }
    auto r = geo::range_of(nets[next(s) % nets.size()]);
    geo::Uint128 offset = ((geo::Uint128{next(s)} << 64) | next(s)) % (r.last - r.first + 1);
    out.push_back(geo::from_integer(r.first + offset, base::Family::v6));
  }
  return out;
}

double floor_loop(const std::vector<base::IpAddress>& list, size_t& found) {
  loc_ctx* ctx = nullptr;
  loc_new(&ctx);
  FILE* f = std::fopen(geo::kDefaultLibLocPath, "r");
  loc_database* db = nullptr;
  if (!f || loc_database_new(ctx, &db, f) != 0) std::exit(1);
  std::fclose(f);
  auto start = std::chrono::steady_clock::now();
  for (const auto& a : list) {
    in6_addr key{};
    if (a.is_v4()) {
      key.s6_addr[10] = key.s6_addr[11] = 0xff;
      std::memcpy(key.s6_addr + 12, a.bytes.data(), 4);
    } else {
      std::memcpy(key.s6_addr, a.bytes.data(), 16);
    }
    loc_network* n = nullptr;
    if (loc_database_lookup(db, &key, &n) == 0 && n) {
      found += loc_network_get_country_code(n)[0] != 0 && loc_network_get_asn(n) != 0;
      loc_network_unref(n);
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  loc_database_unref(db);
  loc_unref(ctx);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000000;
  auto list = addresses(n);
  size_t found = 0, placed = 0;
  floor_loop(list, found);  // a first pass pages the mapped database in for both timed passes
  found = 0;
  double floor_s = floor_loop(list, found);
  auto locator = geo::open_locator();
  auto start = std::chrono::steady_clock::now();
  for (const auto& a : list) placed += locator->lookup(a).country != geo::kUnknownCountry;
  double locator_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"addresses\": %zu, \"floor_seconds\": %.6f, \"locator_seconds\": %.6f, "
      "\"placed\": %zu, \"source\": \"%s\"}\n",
      n, floor_s, locator_s, placed, locator->source().c_str());
  return 0;
}
