// teiten::tls peer identity — what a certificate says about the other end:
// its SHA-256 fingerprint (for logs and refusals), subject common names and
// DNS names, and the one rule that decides whether it names a sensor.
//
// That rule (PeerIdentity::names) is the only answer in teiten to "does
// this certificate name this sensor?": the collector asks it of a verified
// peer when the HELLO arrives, and `-t` (common/config/tls_check.cpp) asks
// it of the configured certificate file, so a certificate `-t` accepts is
// never refused live, and the other way round.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

namespace teiten::tls {

struct PeerIdentity {
  std::string fingerprint;                ///< SHA-256 of the DER certificate, "ab:cd:..."
  std::vector<std::string> common_names;  ///< every CN of the subject, in order
  std::vector<std::string> dns_names;     ///< DNS subject alternative names, in order
  std::string subject;
  std::string issuer;

  /// True when `sensor_id` is exactly (byte for byte) one of the common
  /// names or DNS names. No wildcard matching: a sensor certificate speaks
  /// for one sensor, and a wildcard would let one key speak for the fleet
  /// (sensor ids cannot contain '*', so "*.example" names no sensor). An
  /// empty id is named by nothing.
  bool names(std::string_view sensor_id) const;
  /// The names, for messages: "CN 's01', DNS 's01'", or "no CN or DNS name".
  std::string names_text() const;
};

/// Reads a certificate (nullptr gives an empty identity). Names that are
/// not valid UTF-8 are kept as their bytes.
PeerIdentity identity_of(X509* cert);

}  // namespace teiten::tls
