// teiten::tls — TLS 1.3 contexts for the sensor→collector link. Mutual
// authentication only: both sides present a certificate signed by the
// fleet CA; there is no plaintext mode and no older protocol version.
// The collector learns a sensor's identity from its verified certificate
// (peer_identity.h); the sensor checks the collector's certificate against
// the host name it dialed.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <stdexcept>
#include <string>

namespace teiten::tls {

class TlsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Credentials {
  std::string ca;    ///< PEM file of the fleet CA
  std::string cert;  ///< PEM certificate chain of this end
  std::string key;   ///< PEM private key of this end
};

/// Server side (collector): requires a client certificate signed by the CA.
/// Throws TlsError naming the file that could not be loaded.
boost::asio::ssl::context make_server_context(const Credentials& c);
/// Client side (sensor): verifies the server against the CA.
boost::asio::ssl::context make_client_context(const Credentials& c);

/// Text of the most recent OpenSSL errors on this thread (and clears them).
std::string openssl_errors();

}  // namespace teiten::tls
