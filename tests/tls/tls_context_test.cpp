// The contexts of tls_context.h in real TLS handshakes over loopback: the
// pair a sensor and a collector build connects with TLS 1.3 and mutual
// authentication; everything the fleet must refuse is refused.
#include "common/tls/tls_context.h"

#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include "common/tls/peer_identity.h"
#include "tls_test_support.h"

using namespace teiten;
using tls::test::Pki;
namespace asio = boost::asio;

namespace {

// A fleet: its CA, a collector for localhost and a sensor s01; and a second
// CA with a certificate of the same names, which the fleet must not trust.
void make_fleet(Pki& pki) {
  pki.make_ca("ca");
  pki.make_cert("collector", "/CN=collector", "DNS:localhost,IP:127.0.0.1");
  pki.make_cert("s01", "/CN=s01", "DNS:s01");
  pki.make_ca("other-ca");
  pki.make_cert("intruder", "/CN=s01", "DNS:s01,DNS:localhost", "other-ca");
}

}  // namespace

TEST_CASE("a sensor and a collector context shake hands with TLS 1.3 both ways authenticated",
          "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto server_ctx = tls::make_server_context(pki.credentials("collector"));
  auto client_ctx = tls::make_client_context(pki.credentials("s01"));
  tls::test::LoopbackPair pair(server_ctx, client_ctx);
  auto r = tls::test::handshake(pair);
  REQUIRE(r.finished);
  REQUIRE_FALSE(r.server);
  REQUIRE_FALSE(r.client);
  CHECK(SSL_version(pair.server->native_handle()) == TLS1_3_VERSION);
  X509* peer = SSL_get1_peer_certificate(pair.server->native_handle());
  REQUIRE(peer);
  auto identity = tls::identity_of(peer);
  X509_free(peer);
  CHECK(identity.names("s01"));
  CHECK(SSL_get_verify_result(pair.server->native_handle()) == X509_V_OK);
}

TEST_CASE("the collector refuses a client certificate from another CA", "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto server_ctx = tls::make_server_context(pki.credentials("collector"));
  // The intruder trusts the fleet CA, so only the collector's check stands.
  auto client_ctx = tls::make_client_context(pki.credentials("intruder", "ca"));
  auto r = tls::test::handshake_between(server_ctx, client_ctx);
  CHECK(r.server);
  CHECK_THAT(r.server.message(), Catch::Contains("certificate verify failed"));
}

TEST_CASE("the collector refuses a client without a certificate", "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto server_ctx = tls::make_server_context(pki.credentials("collector"));
  asio::ssl::context bare(asio::ssl::context::tlsv13_client);
  bare.load_verify_file(pki.pem("ca"));
  bare.set_verify_mode(asio::ssl::verify_peer);
  auto r = tls::test::handshake_between(server_ctx, bare);
  CHECK(r.server);
  CHECK_THAT(r.server.message(), Catch::Contains("certificate"));
}

TEST_CASE("the sensor refuses a collector certificate from another CA or for another name",
          "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto client_ctx = tls::make_client_context(pki.credentials("s01"));
  SECTION("another CA") {
    auto server_ctx = tls::make_server_context(pki.credentials("intruder", "ca"));
    auto r = tls::test::handshake_between(server_ctx, client_ctx);
    CHECK(r.client);
    CHECK(r.server);
  }
  SECTION("a name the certificate does not carry") {
    auto server_ctx = tls::make_server_context(pki.credentials("collector"));
    CHECK(tls::test::handshake_between(server_ctx, client_ctx, "collector.fleet.example").client);
  }
}

TEST_CASE("a client that offers only TLS 1.2 is refused", "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto server_ctx = tls::make_server_context(pki.credentials("collector"));
  asio::ssl::context old(asio::ssl::context::tls_client);
  SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_2_VERSION);
  old.load_verify_file(pki.pem("ca"));
  old.use_certificate_chain_file(pki.pem("s01"));
  old.use_private_key_file(pki.key("s01"), asio::ssl::context::pem);
  auto r = tls::test::handshake_between(server_ctx, old);
  CHECK(r.server);
  CHECK(r.client);
}

TEST_CASE("a context that cannot load its files names the file", "[tls]") {
  Pki pki;
  make_fleet(pki);
  auto missing = pki.dir() / "missing.pem";
  CHECK_THROWS_WITH(tls::make_server_context({missing, pki.pem("collector"), pki.key("collector")}),
                    Catch::Contains("cannot load CA " + missing));
  CHECK_THROWS_WITH(tls::make_client_context({pki.pem("ca"), missing, pki.key("s01")}),
                    Catch::Contains("cannot load certificate " + missing));
  CHECK_THROWS_WITH(tls::make_client_context({pki.pem("ca"), pki.pem("s01"), missing}),
                    Catch::Contains("cannot load key " + missing));
  // A key of another certificate: OpenSSL refuses it while loading, or the
  // explicit check does; either way the message names the key file.
  CHECK_THROWS_WITH(tls::make_client_context({pki.pem("ca"), pki.pem("s01"), pki.key("collector")}),
                    Catch::Contains(pki.key("collector")));
}
