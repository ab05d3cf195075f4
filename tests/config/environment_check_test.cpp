// The environment half of `-t`: real files made with the openssl command
// line in a throwaway directory, real interfaces, real directories.
#include <net/if.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "config_test_support.h"

using namespace teiten::config;
using namespace teiten::config::test;
using Errors = std::vector<std::string>;

namespace {

// A sensor config in DIR whose every outside reference is satisfiable:
// loopback exists everywhere, the state and runtime directories can be
// created (their parent is DIR), the TLS files are those make_certificates
// wrote. collector.ca, cert and key are on lines 7, 8 and 9.
std::string sensor_yaml(const std::string& interface = "lo", const std::string& cert = "s01.pem",
                        const std::string& key = "s01.key", const std::string& ca = "ca.pem") {
  return "sensor: {id: s01}\n"
         "capture:\n"
         "  interface: " +
         interface +
         "\n"
         "storage: {path: state/sensor.db}\n"
         "collector:\n"
         "  address: localhost:7450\n"
         "  ca: " +
         ca +
         "\n"
         "  cert: " +
         cert +
         "\n"
         "  key: " +
         key +
         "\n"
         "control: {socket: run/control.sock}\n";
}

Errors sensor_check(const std::string& file, SensorMode mode = SensorMode::live) {
  auto config = load_sensor_config(file, mode);
  return located(check_sensor_environment(config, mode));
}

}  // namespace

TEST_CASE("a sensor config that is fine passes the load and the environment check", "[config]") {
  TempDir dir;
  make_certificates(dir, "s01");
  auto file = dir.write("sensor.yaml", sensor_yaml());
  CHECK(sensor_check(file).empty());
  CHECK(sensor_check(file, SensorMode::read).empty());
}

TEST_CASE("an interface that does not exist is reported at capture.interface", "[config]") {
  TempDir dir;
  REQUIRE(if_nametoindex("eth9") == 0);  // the oracle: the kernel has no eth9 here
  auto file = dir.write("sensor.yaml",
                        "sensor: {id: s01}\ncapture:\n  interface: eth9\n"
                        "storage: {path: s.db}\ncontrol: {socket: c.sock}\n");
  CHECK(sensor_check(file) == Errors{"3:3: capture.interface: no such interface 'eth9'"});
  CHECK(sensor_check(file, SensorMode::read).empty());  // --read never opens it
}

TEST_CASE("libpcap's pseudo interface 'any' counts as existing", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml",
                        "sensor: {id: s01}\ncapture: {interface: any}\n"
                        "storage: {path: s.db}\ncontrol: {socket: c.sock}\n");
  CHECK(sensor_check(file).empty());
}

TEST_CASE("a key that does not match the certificate is reported at collector.key", "[config]") {
  TempDir dir;
  make_certificates(dir, "s01");
  run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + (dir / "other.key"));
  auto file = dir.write("sensor.yaml", sensor_yaml("lo", "s01.pem", "other.key"));
  CHECK(sensor_check(file) == Errors{"9:3: collector.key: " + (dir / "other.key") +
                                     " does not match the certificate in " + (dir / "s01.pem")});
}

TEST_CASE("missing and non-PEM TLS files are reported at their keys", "[config]") {
  TempDir dir;
  make_certificates(dir, "s01");
  dir.write("notes.txt", "not a certificate\n");
  auto file = dir.write("sensor.yaml", sensor_yaml("lo", "missing.pem", "s01.pem", "notes.txt"));
  CHECK(sensor_check(file) ==
        Errors{"7:3: collector.ca: " + (dir / "notes.txt") + " holds no PEM certificate",
               "8:3: collector.cert: cannot read " + (dir / "missing.pem") +
                   ": No such file or directory",
               "9:3: collector.key: " + (dir / "s01.pem") + " holds no PEM private key"});
}

TEST_CASE("an expired certificate is reported", "[config]") {
  TempDir dir;
  make_certificates(dir, "s01");
  const std::string d = dir.path().string();
  run("openssl x509 -req -in " + d + "/s01.csr -CA " + d + "/ca.pem -CAkey " + d +
      "/ca.key -CAcreateserial -out " + d + "/expired.pem -days -1");
  auto errors = sensor_check(dir.write("sensor.yaml", sensor_yaml("lo", "expired.pem")));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith("8:3: collector.cert: the certificate CN=s01 in " +
                                          (dir / "expired.pem") + " expired on "));
}

TEST_CASE("an encrypted key is reported instead of asking for a passphrase", "[config]") {
  TempDir dir;
  make_certificates(dir, "s01");
  run("openssl pkey -in " + (dir / "s01.key") + " -aes256 -passout pass:secret -out " +
      (dir / "encrypted.key"));
  auto file = dir.write("sensor.yaml", sensor_yaml("lo", "s01.pem", "encrypted.key"));
  CHECK(sensor_check(file) == Errors{"9:3: collector.key: " + (dir / "encrypted.key") +
                                     " is encrypted; the daemon needs an unencrypted key"});
}

TEST_CASE("a certificate must carry the sensor id as common name or DNS name", "[config]") {
  TempDir dir;
  make_certificates(dir, "s02");
  auto wrong = dir.write("sensor.yaml", sensor_yaml("lo", "s02.pem", "s02.key"));
  CHECK(
      sensor_check(wrong) ==
      Errors{"8:3: collector.cert: the certificate CN=s02 in " + (dir / "s02.pem") +
             " does not carry 's01' as common name or DNS name, so the collector will refuse it"});
  // The id as a DNS subject alternative name is enough.
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
      (dir / "san.key") + " -out " + (dir / "san.pem") +
      " -subj /CN=sensor-one -addext subjectAltName=DNS:s01 -days 2");
  CHECK(sensor_check(dir.write("san.yaml", sensor_yaml("lo", "san.pem", "san.key"))).empty());
}

TEST_CASE("the database directory must exist or be creatable", "[config]") {
  TempDir dir;
  auto check = [&](const std::string& path) {
    auto file = dir.write("sensor.yaml",
                          "sensor: {id: s01}\ncapture: {interface: lo}\nstorage:\n  path: " + path +
                              "\ncontrol: {socket: c.sock}\n");
    return sensor_check(file);
  };
  CHECK(check("new/sensor.db").empty());  // DIR/new can be created in DIR
  CHECK(check("a/b/sensor.db") ==
        Errors{"4:3: storage.path: directory " + (dir / "a/b") +
               " does not exist, and neither does " + (dir / "a") + " to create it in"});
  std::filesystem::create_directories(dir.path() / "db.d");
  CHECK(check("db.d") ==
        Errors{"4:3: storage.path: " + (dir / "db.d") + " is a directory; name a file inside it"});
  dir.write("plain", "");
  CHECK(check("plain/sensor.db") ==
        Errors{"4:3: storage.path: " + (dir / "plain") + " is not a directory"});
}

TEST_CASE("a collector config that is fine passes, and a mismatched key is reported", "[config]") {
  TempDir dir;
  make_certificates(dir, "collector");
  const std::string head = "listen:\n  ca: ca.pem\n  cert: collector.pem\n";
  const std::string tail =
      "sensors: [s01]\nstorage: {path: db/c.db}\ncontrol: {socket: run/c.sock}\n";
  auto good = load_collector_config(dir.write("good.yaml", head + "  key: collector.key\n" + tail));
  CHECK(check_collector_environment(good).empty());
  make_certificates(dir, "other");
  auto bad = load_collector_config(dir.write("bad.yaml", head + "  key: other.key\n" + tail));
  CHECK(located(check_collector_environment(bad)) ==
        Errors{"4:3: listen.key: " + (dir / "other.key") + " does not match the certificate in " +
               (dir / "collector.pem")});
}

TEST_CASE("process.user and process.group must exist when started as root", "[config]") {
  TempDir dir;
  auto file = dir.write("sensor.yaml",
                        "sensor: {id: s01}\ncapture: {interface: lo}\n"
                        "storage: {path: s.db}\ncontrol: {socket: c.sock}\n"
                        "process:\n  user: no-such-user-teiten\n  group: root\n");
  // Only a daemon started as root switches users, so only then does it matter.
  if (geteuid() == 0)
    CHECK(sensor_check(file) == Errors{"6:3: process.user: no such user 'no-such-user-teiten'"});
  else
    CHECK(sensor_check(file).empty());
}

TEST_CASE("a config built in code is checked too, its errors naming the key", "[config]") {
  SensorConfig config;
  config.file = "built-in";
  config.marks.file = "built-in";
  config.sensor.id = "s01";
  config.capture.interface = "eth9";
  config.storage.path = "/nonexistent-teiten/a/sensor.db";
  config.control.socket = "/tmp/teiten-test.sock";
  config.log.level = "loud";
  auto errors = check_sensor_environment(config, SensorMode::live);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].to_string() == "built-in: capture.interface: no such interface 'eth9'");
  CHECK(errors[1].to_string() ==
        "built-in: storage.path: directory /nonexistent-teiten/a does not exist, and neither does "
        "/nonexistent-teiten to create it in");
  CHECK(errors[2].to_string() == "built-in: log.level: unknown log level 'loud'");
}
