// Certificates for the tls tests, made with the openssl command line in a
// throwaway directory (an oracle apart from the code under test), and a
// loopback pair of TLS streams driven by one io_context.
#pragma once

#include <openssl/x509.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <memory>
#include <string>

#include "common/tls/tls_context.h"
#include "support/temp_dir.h"

namespace teiten::tls::test {

/// Runs a shell command; fails the test when it exits non-zero.
void run(const std::string& command);
/// What a shell command printed on stdout; fails the test on a non-zero exit.
std::string output_of(const std::string& command);

/// A directory of EC P-256 certificates and keys.
class Pki {
 public:
  /// DIR/NAME.pem and DIR/NAME.key: a self-signed CA.
  void make_ca(const std::string& name);
  /// DIR/NAME.pem and DIR/NAME.key signed by CA, with `subject` such as
  /// "/CN=s01" or "/CN=a/CN=b" and an optional subjectAltName value such as
  /// "DNS:s01,IP:127.0.0.1". Usable as TLS client and server certificate.
  void make_cert(const std::string& name, const std::string& subject,
                 const std::string& alt_names = "", const std::string& ca = "ca");
  std::string pem(const std::string& name) const { return dir_ / (name + ".pem"); }
  std::string key(const std::string& name) const { return dir_ / (name + ".key"); }
  Credentials credentials(const std::string& name, const std::string& ca = "ca") const {
    return {pem(ca), pem(name), key(name)};
  }
  const teiten::test::TempDir& dir() const { return dir_; }

 private:
  teiten::test::TempDir dir_;
};

struct X509Free {
  void operator()(X509* c) const { X509_free(c); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
/// The first certificate of a PEM file.
X509Ptr load_certificate(const std::string& path);

using Stream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

/// A TCP connection on 127.0.0.1 between two TLS streams, not yet
/// handshaken; `io` drives both.
struct LoopbackPair {
  LoopbackPair(boost::asio::ssl::context& server_ctx, boost::asio::ssl::context& client_ctx);
  boost::asio::io_context io;
  std::unique_ptr<Stream> server, client;
};

struct HandshakeResult {
  boost::system::error_code server, client;
  bool finished = false;  ///< both sides finished within the time limit
};
/// Both handshakes at once; the client checks the server's certificate
/// against `server_name` as the sensor does.
HandshakeResult handshake(LoopbackPair& pair, const std::string& server_name = "localhost");
/// The same over a fresh pair; fails the test unless both sides finished.
HandshakeResult handshake_between(boost::asio::ssl::context& server_ctx,
                                  boost::asio::ssl::context& client_ctx,
                                  const std::string& server_name = "localhost");

}  // namespace teiten::tls::test
