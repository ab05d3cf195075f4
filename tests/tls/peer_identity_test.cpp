// "Does this certificate name this sensor?" has one answer, PeerIdentity::
// names, asked by the collector of a connected peer and by `-t` of the
// configured file. Real certificates from the openssl command line; each
// verdict is checked on both paths, so they cannot drift apart again.
#include "common/tls/peer_identity.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>

#include "common/config/sensor_config.h"
#include "tls_test_support.h"

using namespace teiten;
using tls::test::Pki;

namespace {

// `-t` of a sensor whose id is `id` and whose certificate is NAME.pem: the
// errors reported at collector.cert.
std::vector<std::string> t_flag_cert_errors(const Pki& pki, const std::string& name,
                                            const std::string& id) {
  config::SensorConfig c;
  c.file = c.marks.file = "built-in";
  c.sensor.id = id;
  c.capture.interface = "lo";
  c.storage.path = pki.dir() / "sensor.db";
  c.control.socket = pki.dir() / "control.sock";
  c.collector.enabled = true;
  c.collector.address = {"localhost:7450"};
  c.collector.endpoints = {{"localhost:7450", "localhost", 7450, "localhost"}};
  c.collector.ca = pki.pem("ca");
  c.collector.cert = pki.pem(name);
  c.collector.key = pki.key(name);
  std::vector<std::string> out;
  for (const auto& e : config::check_sensor_environment(c, config::SensorMode::live))
    if (e.to_string().find("collector.cert") != std::string::npos) out.push_back(e.to_string());
  return out;
}

struct Case {
  const char* name;
  const char* subject;
  const char* alt_names;
  std::vector<std::string> named;      ///< ids the certificate names
  std::vector<std::string> not_named;  ///< ids it does not
};

const std::vector<Case> kCases = {
    {"cn", "/CN=s01", "", {"s01"}, {"s02", "S01", "s0", "s01.fleet.example"}},
    // The run-time check once looked at the first CN only, `-t` at all of them.
    {"two-cns", "/O=teiten/CN=s01/CN=s02", "", {"s01", "s02"}, {"s03", "teiten"}},
    {"sans",
     "/CN=sensor-one",
     "DNS:s01,DNS:s01.fleet.example",
     {"s01", "s01.fleet.example", "sensor-one"},
     {"s02", "fleet.example"}},
    // A wildcard names no sensor: one key must not speak for the whole fleet.
    {"wildcard",
     "/CN=wild",
     "DNS:*.fleet.example",
     {"wild"},
     {"s01.fleet.example", "fleet.example", "x.fleet.example"}},
    {"no-name", "/O=teiten/OU=sensors", "", {}, {"s01", "teiten", "sensors"}},
    // Only DNS names count among the alternative names.
    {"ip-email",
     "/O=teiten",
     "IP:127.0.0.1,email:s01@fleet.example",
     {},
     {"127.0.0.1", "s01", "s01@fleet.example"}},
};

}  // namespace

TEST_CASE("the collector and -t agree on which sensor a certificate names", "[tls]") {
  Pki pki;
  pki.make_ca("ca");
  for (const auto& c : kCases) {
    pki.make_cert(c.name, c.subject, c.alt_names);
    auto peer = tls::identity_of(tls::test::load_certificate(pki.pem(c.name)).get());
    for (const auto& id : c.named) {
      INFO(c.name << " names " << id);
      CHECK(peer.names(id));
      CHECK(t_flag_cert_errors(pki, c.name, id).empty());
    }
    for (const auto& id : c.not_named) {
      INFO(c.name << " does not name " << id);
      CHECK_FALSE(peer.names(id));
      auto errors = t_flag_cert_errors(pki, c.name, id);
      REQUIRE(errors.size() == 1);
      CHECK_THAT(errors[0], Catch::Contains("does not carry '" + id + "'"));
    }
  }
}

TEST_CASE("identity_of reads every common name and DNS name in order", "[tls]") {
  Pki pki;
  pki.make_ca("ca");
  pki.make_cert("s", "/CN=b/CN=a", "DNS:y,IP:10.0.0.1,DNS:x");
  auto peer = tls::identity_of(tls::test::load_certificate(pki.pem("s")).get());
  CHECK(peer.common_names == std::vector<std::string>{"b", "a"});
  CHECK(peer.dns_names == std::vector<std::string>{"y", "x"});
  CHECK(peer.names_text() == "CN 'b', 'a', DNS 'y', 'x'");
  CHECK_THAT(peer.subject, Catch::Contains("CN=b"));
  CHECK(peer.issuer == "/CN=ca");
}

TEST_CASE("the fingerprint is the certificate's SHA-256 as openssl prints it", "[tls]") {
  Pki pki;
  pki.make_ca("ca");
  pki.make_cert("s01", "/CN=s01");
  // "sha256 Fingerprint=AB:CD:...\n" from the command line.
  auto line =
      tls::test::output_of("openssl x509 -noout -fingerprint -sha256 -in " + pki.pem("s01"));
  auto expected = line.substr(line.find('=') + 1);
  expected.erase(expected.find_last_not_of("\r\n") + 1);
  std::transform(expected.begin(), expected.end(), expected.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  auto peer = tls::identity_of(tls::test::load_certificate(pki.pem("s01")).get());
  CHECK(peer.fingerprint == expected);
  CHECK(peer.fingerprint.size() == 32 * 3 - 1);
}

TEST_CASE("no certificate and no id name nothing", "[tls]") {
  auto none = tls::identity_of(nullptr);
  CHECK(none.fingerprint.empty());
  CHECK_FALSE(none.names("s01"));
  CHECK(none.names_text() == "no CN or DNS name");
  Pki pki;
  pki.make_ca("ca");
  pki.make_cert("s01", "/CN=s01");
  CHECK_FALSE(tls::identity_of(tls::test::load_certificate(pki.pem("s01")).get()).names(""));
}
