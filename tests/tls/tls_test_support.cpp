#include "tls_test_support.h"

#include <openssl/pem.h>

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

namespace teiten::tls::test {
namespace asio = boost::asio;
using asio::ip::tcp;

void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system((command + " >/dev/null 2>&1").c_str()) == 0);
}

std::string output_of(const std::string& command) {
  INFO(command);
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  return out;
}

namespace {
const std::string kNewKey = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
}

void Pki::make_ca(const std::string& name) {
  run("openssl req -x509 " + kNewKey + " -keyout " + key(name) + " -out " + pem(name) +
      " -subj /CN=" + name + " -days 2");
}

void Pki::make_cert(const std::string& name, const std::string& subject,
                    const std::string& alt_names, const std::string& ca) {
  std::string ext = "extendedKeyUsage=clientAuth,serverAuth\n";
  if (!alt_names.empty()) ext += "subjectAltName=" + alt_names + "\n";
  const std::string ext_file = dir_.write(name + ".ext", ext);
  const std::string csr = dir_ / (name + ".csr");
  run("openssl req -new " + kNewKey + " -keyout " + key(name) + " -out " + csr + " -subj '" +
      subject + "'");
  run("openssl x509 -req -in " + csr + " -CA " + pem(ca) + " -CAkey " + key(ca) +
      " -CAcreateserial -out " + pem(name) + " -days 2 -extfile " + ext_file);
}

X509Ptr load_certificate(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  REQUIRE(f);
  X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  REQUIRE(cert);
  return cert;
}

LoopbackPair::LoopbackPair(asio::ssl::context& server_ctx, asio::ssl::context& client_ctx) {
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  server = std::make_unique<Stream>(io, server_ctx);
  client = std::make_unique<Stream>(io, client_ctx);
  client->next_layer().connect(acceptor.local_endpoint());
  acceptor.accept(server->next_layer());
}

HandshakeResult handshake(LoopbackPair& pair, const std::string& server_name) {
  HandshakeResult r;
  int done = 0;
  SSL_set_tlsext_host_name(pair.client->native_handle(), server_name.c_str());
  pair.client->set_verify_callback(asio::ssl::host_name_verification(server_name));
  pair.server->async_handshake(asio::ssl::stream_base::server,
                               [&](const boost::system::error_code& ec) {
                                 r.server = ec;
                                 ++done;
                                 if (ec) pair.server->next_layer().close();
                               });
  pair.client->async_handshake(asio::ssl::stream_base::client,
                               [&](const boost::system::error_code& ec) {
                                 r.client = ec;
                                 ++done;
                                 // A refused client must not leave the server waiting.
                                 if (ec) pair.client->next_layer().close();
                               });
  pair.io.run_for(std::chrono::seconds(20));
  pair.io.restart();
  r.finished = done == 2;
  return r;
}

HandshakeResult handshake_between(asio::ssl::context& server_ctx, asio::ssl::context& client_ctx,
                                  const std::string& server_name) {
  LoopbackPair pair(server_ctx, client_ctx);
  auto r = handshake(pair, server_name);
  REQUIRE(r.finished);
  return r;
}

}  // namespace teiten::tls::test
