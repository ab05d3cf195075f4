#include "common/geo/mmdb_database.h"

#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace teiten::geo {
namespace {

// The value at `path` when it is a string; empty otherwise.
std::string string_at(MMDB_entry_s entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING)
    return {};
  return std::string(data.utf8_string, data.data_size);
}

// The value at `path` when it is an unsigned integer that fits an ASN; 0 otherwise.
uint32_t asn_at(MMDB_entry_s entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data) return 0;
  switch (data.type) {
    case MMDB_DATA_TYPE_UINT16:
      return data.uint16;
    case MMDB_DATA_TYPE_UINT32:
      return data.uint32;
    case MMDB_DATA_TYPE_UINT64:
      return data.uint64 <= UINT32_MAX ? static_cast<uint32_t>(data.uint64) : 0;
    default:
      return 0;
  }
}

constexpr const char* kCountry[] = {"country", "iso_code", nullptr};
constexpr const char* kRegisteredCountry[] = {"registered_country", "iso_code", nullptr};
constexpr const char* kAsn[] = {"autonomous_system_number", nullptr};
constexpr const char* kAsName[] = {"autonomous_system_organization", nullptr};

}  // namespace

MmdbDatabase::MmdbDatabase(const std::string& path)
    : path_(path), mmdb_(std::make_unique<MMDB_s>()) {
  errno = 0;
  int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, mmdb_.get());
  int saved_errno = errno;
  if (status != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(status);
    if ((status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR) && saved_errno != 0)
      why += std::string(": ") + std::strerror(saved_errno);
    throw GeoError("cannot open the MaxMind DB file " + path + ": " + why);
  }
}

MmdbDatabase::~MmdbDatabase() {
  MMDB_close(mmdb_.get());
}

Location MmdbDatabase::lookup_raw(const base::IpAddress& address) const {
  sockaddr_storage storage{};
  if (address.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, address.bytes.data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, address.bytes.data(), 16);
  }
  Location out;
  out.country.clear();
  int error = MMDB_SUCCESS;
  // An IPv6 address in an IPv4-only file is an error here, and simply unknown to us.
  auto result = MMDB_lookup_sockaddr(mmdb_.get(), reinterpret_cast<sockaddr*>(&storage), &error);
  if (error != MMDB_SUCCESS || !result.found_entry) return out;
  out.country = string_at(result.entry, kCountry);
  if (out.country.empty()) out.country = string_at(result.entry, kRegisteredCountry);
  out.asn = asn_at(result.entry, kAsn);
  if (out.asn != 0) out.as_name = string_at(result.entry, kAsName);
  return out;
}

std::string MmdbDatabase::describe() const {
  const char* type = mmdb_->metadata.database_type;
  return describe_source(type && *type ? type : "MaxMind DB",
                         static_cast<int64_t>(mmdb_->metadata.build_epoch), path_);
}

}  // namespace teiten::geo
