// Fuzz target: the certificate and key checks of `-t`
// (common/config/tls_check.cpp with tls::identity_of): what the daemons
// read from the CA, certificate and key files an operator points them at.
//
// Input: up to three parts separated by NUL bytes: the CA file, the
// certificate file, the key file (a missing part is an empty file). A part
// that holds no PEM armour is taken as DER and armoured here (as a
// certificate, or for the key part as a private key), so that mutations
// reach the certificate's fields instead of breaking its base64.
// Properties, for any bytes: nothing crashes, leaks or reads out of bounds;
// every problem is reported under the key that named the file, with a
// message; the thread's OpenSSL error queue is left empty (tls_check.h).
#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <vector>

#include "common/config/tls_check.h"
#include "fuzz/fuzz_support.h"

namespace {

using namespace teiten;

std::string pem_armour(std::string_view der, const char* label) {
  std::string out = std::string("-----BEGIN ") + label + "-----\n";
  for (size_t at = 0; at < der.size(); at += 48) {
    auto chunk = der.substr(at, 48);
    unsigned char line[72];
    int n = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char*>(chunk.data()),
                            static_cast<int>(chunk.size()));
    out.append(reinterpret_cast<char*>(line), static_cast<size_t>(n));
    out += '\n';
  }
  return out + "-----END " + label + "-----\n";
}

std::array<std::string, 3> parts_of(std::string_view input) {
  std::array<std::string, 3> parts;
  for (size_t i = 0; i < parts.size(); ++i) {
    size_t nul = i + 1 < parts.size() ? input.find('\0') : std::string_view::npos;
    std::string_view part = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    bool pem = part.find("-----BEGIN") != std::string_view::npos;
    parts[i] = pem || part.empty() ? std::string(part)
                                   : pem_armour(part, i == 2 ? "PRIVATE KEY" : "CERTIFICATE");
  }
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = parts_of(fuzz::bytes_of(data, size));
  fuzz::MemoryFile ca(parts[0], "ca.pem"), cert(parts[1], "s01.pem"), key(parts[2], "s01.key");
  config::SourceMarks marks;
  marks.file = "sensor.yaml";
  marks.positions = {{"collector", {1, 1}}, {"collector.ca", {2, 3}},
                     {"collector.cert", {3, 3}}, {"collector.key", {4, 3}}};
  std::vector<config::ConfigError> errors;
  config::detail::check_tls_files(marks, {"collector", ca.path(), cert.path(), key.path(), "s01"},
                                  errors);
  for (const auto& e : errors) {
    if (e.message.empty() || e.file != "sensor.yaml" || e.line < 2 || e.line > 4)
      fuzz::broken("a problem not reported under the key that named its file: " + e.to_string());
  }
  if (unsigned long left = ERR_peek_error()) {
    char text[256];
    ERR_error_string_n(left, text, sizeof text);
    ERR_clear_error();
    fuzz::broken(std::string("OpenSSL errors left in the queue: ") + text);
  }
  return 0;
}
