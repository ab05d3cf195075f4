#include "config_test_support.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace teiten::config::test {

std::string yaml(const char* text) {
  std::string s(text);
  if (!s.empty() && s.front() == '\n') s.erase(0, 1);
  return s;
}

std::string located(const ConfigError& e) {
  if (e.line == 0) return e.message;
  return std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message;
}

std::vector<std::string> located(const std::vector<ConfigError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(located(e));
  return out;
}

std::vector<std::string> sensor_errors(const std::string& file, SensorMode mode) {
  try {
    load_sensor_config(file, mode);
  } catch (const ConfigErrors& e) {
    for (const auto& error : e.errors()) CHECK(error.file == file);
    return located(e.errors());
  }
  return {};
}

std::vector<std::string> collector_errors(const std::string& file) {
  try {
    load_collector_config(file);
  } catch (const ConfigErrors& e) {
    for (const auto& error : e.errors()) CHECK(error.file == file);
    return located(e.errors());
  }
  return {};
}

void run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system((command + " >/dev/null 2>&1").c_str()) == 0);
}

void make_certificates(const TempDir& dir, const std::string& name) {
  const std::string d = dir.path().string();
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  if (!std::filesystem::exists(dir.path() / "ca.pem"))
    run("openssl req -x509 " + ec + " -keyout " + d + "/ca.key -out " + d +
        "/ca.pem -subj /CN=teiten-test-ca -days 2");
  run("openssl req " + ec + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name +
      ".csr -subj /CN=" + name);
  run("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/ca.pem -CAkey " + d +
      "/ca.key -CAcreateserial -out " + d + "/" + name + ".pem -days 2");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string source_file(const std::string& relative) {
  return std::string(TEITEN_SOURCE_DIR) + "/" + relative;
}

std::string data_file(const std::string& name) {
  return std::string(TEITEN_CONFIG_TEST_DATA) + "/" + name;
}

}  // namespace teiten::config::test
