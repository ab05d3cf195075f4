// teiten::tls peer identity — what a verified certificate says about the
// other end: its SHA-256 fingerprint (for logs and refusals), common name
// and DNS names. A sensor is identified by its id as CN or a DNS SAN.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <vector>

namespace teiten::tls {

struct PeerIdentity {
  std::string fingerprint;  ///< SHA-256 of the DER certificate, "ab:cd:..."
  std::string common_name;
  std::vector<std::string> dns_names;
  std::string subject;
  std::string issuer;

  /// True when id is the common name or one of the DNS names.
  bool names(const std::string& id) const;
};

/// Reads a certificate (nullptr gives an empty identity).
PeerIdentity identity_of(X509* cert);

}  // namespace teiten::tls
