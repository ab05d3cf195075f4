#include "common/tls/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

namespace teiten::tls {
namespace asio = boost::asio;

namespace {

// OpenSSL opens a FIFO and waits for a writer forever; -t refuses one, and
// so does a daemon started without -t (or one whose files changed since).
void require_regular_file(const std::string& what, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw TlsError("cannot load " + what + " " + path + ": not a regular file");
}

void load(asio::ssl::context& ctx, const Credentials& c) {
  require_regular_file("CA", c.ca);
  require_regular_file("certificate", c.cert);
  require_regular_file("key", c.key);
  boost::system::error_code ec;
  ctx.load_verify_file(c.ca, ec);
  if (ec) throw TlsError("cannot load CA " + c.ca + ": " + ec.message());
  ctx.use_certificate_chain_file(c.cert, ec);
  if (ec) throw TlsError("cannot load certificate " + c.cert + ": " + ec.message());
  ctx.use_private_key_file(c.key, asio::ssl::context::pem, ec);
  if (ec) throw TlsError("cannot load key " + c.key + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw TlsError("key " + c.key + " does not match certificate " + c.cert);
  // Belt and braces: the tlsv13 methods already pin the version.
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_3_VERSION);
}

}  // namespace

std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

asio::ssl::context make_server_context(const Credentials& c) {
  asio::ssl::context ctx(asio::ssl::context::tlsv13_server);
  load(ctx, c);
  ctx.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  return ctx;
}

asio::ssl::context make_client_context(const Credentials& c) {
  asio::ssl::context ctx(asio::ssl::context::tlsv13_client);
  load(ctx, c);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  return ctx;
}

}  // namespace teiten::tls
