#include "common/geo/libloc_database.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

extern "C" {
#include <libloc/as.h>
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
}

namespace teiten::geo {
namespace {

void silent(loc_ctx*, int, const char*, int, const char*, const char*, va_list) {}

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

in6_addr to_in6(const base::IpAddress& a) {
  in6_addr out{};
  if (a.is_v4()) {  // libloc keeps IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
    out.s6_addr[10] = out.s6_addr[11] = 0xff;
    std::memcpy(out.s6_addr + 12, a.bytes.data(), 4);
  } else {
    std::memcpy(out.s6_addr, a.bytes.data(), 16);
  }
  return out;
}

}  // namespace

LibLocDatabase::LibLocDatabase(const std::string& path) : path_(path) {
  std::unique_ptr<FILE, FileCloser> file(std::fopen(path.c_str(), "r"));
  if (!file)
    throw GeoError("cannot open the location database " + path + ": " + std::strerror(errno) +
                   " (Debian's libloc-database package installs it)");
  if (loc_new(&ctx_) != 0) throw GeoError("libloc: cannot create a context");
  loc_set_log_fn(ctx_, silent);
  // libloc duplicates the descriptor and maps the file; ours can be closed.
  if (loc_database_new(ctx_, &db_, file.get()) != 0) {
    loc_unref(ctx_);
    throw GeoError(path + " is not a libloc location database");
  }
}

LibLocDatabase::~LibLocDatabase() {
  loc_database_unref(db_);
  loc_unref(ctx_);
}

Location LibLocDatabase::lookup_raw(const base::IpAddress& address) const {
  in6_addr key = to_in6(address);
  Location out;
  out.country.clear();
  std::lock_guard lock(mutex_);
  loc_network* network = nullptr;
  if (loc_database_lookup(db_, &key, &network) != 0 || !network) return out;
  out.country = loc_network_get_country_code(network);
  out.asn = loc_network_get_asn(network);
  loc_network_unref(network);
  if (out.asn != 0) out.as_name = as_name_locked(out.asn);
  return out;
}

// libloc's AS lookup is a binary search that allocates; a month's sources
// come from a few thousand ASes, so each name is fetched once.
const std::string& LibLocDatabase::as_name_locked(uint32_t asn) const {
  auto [it, inserted] = as_names_.try_emplace(asn);
  loc_as* as = nullptr;
  if (inserted && loc_database_get_as(db_, &as, asn) == 0 && as) {
    if (const char* name = loc_as_get_name(as)) it->second = name;
    loc_as_unref(as);
  }
  return it->second;
}

std::chrono::sys_seconds LibLocDatabase::created_at() const {
  return std::chrono::sys_seconds(std::chrono::seconds(loc_database_created_at(db_)));
}

std::string LibLocDatabase::describe() const {
  const char* vendor = loc_database_get_vendor(db_);
  std::string who = vendor && *vendor ? vendor : "libloc";
  return describe_source(who + " location database", loc_database_created_at(db_), path_);
}

}  // namespace teiten::geo
