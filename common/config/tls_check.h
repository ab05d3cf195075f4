// teiten::config::detail::check_tls_files — what `-t` can know about a TLS
// endpoint's files before any connection: each is readable and holds PEM of
// the right type, the key is unencrypted (a daemon cannot ask for a
// passphrase) and matches the certificate, the certificates are inside
// their validity period, and a sensor's certificate names its id as the
// collector requires. Reads the files and nothing else; leaves the thread's
// OpenSSL error queue empty. Internal to common/config; never logs.
#pragma once

#include <string>
#include <vector>

#include "common/config/config_error.h"
#include "common/config/sensor_config.h"  // SourceMarks

namespace teiten::config::detail {

struct TlsFiles {
  std::string section;        ///< "collector" or "listen": errors name SECTION.ca and so on
  std::string ca, cert, key;  ///< resolved paths
  std::string required_name;  ///< the CN or DNS SAN the certificate must carry; empty: any
};

void check_tls_files(const SourceMarks& marks, const TlsFiles& files,
                     std::vector<ConfigError>& out);

}  // namespace teiten::config::detail
