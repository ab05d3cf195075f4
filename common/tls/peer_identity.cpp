#include "common/tls/peer_identity.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>

namespace teiten::tls {
namespace {

std::string name_text(X509_NAME* name) {
  if (!name) return {};
  char buf[512];
  X509_NAME_oneline(name, buf, sizeof buf);
  return buf;
}

// The string's bytes as UTF-8 (a CN may be a BMPString or T61String);
// embedded NULs are kept, so "s01\0.evil" never equals "s01".
std::string utf8_of(const ASN1_STRING* s) {
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) {
    const unsigned char* raw = ASN1_STRING_get0_data(s);
    int len = ASN1_STRING_length(s);
    return raw && len > 0
               ? std::string(reinterpret_cast<const char*>(raw), static_cast<size_t>(len))
               : std::string();
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string fingerprint_of(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string out;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return out;
  char hex[4];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(hex, sizeof hex, i ? ":%02x" : "%02x", md[i]);
    out += hex;
  }
  return out;
}

std::vector<std::string> common_names_of(X509* cert) {
  std::vector<std::string> out;
  X509_NAME* subject = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i))
    out.push_back(utf8_of(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  return out;
}

std::vector<std::string> dns_names_of(X509* cert) {
  std::vector<std::string> out;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS) out.push_back(utf8_of(g->d.dNSName));
  }
  GENERAL_NAMES_free(sans);
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

}  // namespace

bool PeerIdentity::names(std::string_view sensor_id) const {
  auto is_id = [sensor_id](const std::string& n) { return n == sensor_id; };
  return !sensor_id.empty() && (std::any_of(common_names.begin(), common_names.end(), is_id) ||
                                std::any_of(dns_names.begin(), dns_names.end(), is_id));
}

std::string PeerIdentity::names_text() const {
  std::string out;
  if (!common_names.empty()) out = "CN " + quoted_list(common_names);
  if (!dns_names.empty()) out += (out.empty() ? "DNS " : ", DNS ") + quoted_list(dns_names);
  return out.empty() ? "no CN or DNS name" : out;
}

PeerIdentity identity_of(X509* cert) {
  PeerIdentity p;
  if (!cert) return p;
  p.fingerprint = fingerprint_of(cert);
  p.subject = name_text(X509_get_subject_name(cert));
  p.issuer = name_text(X509_get_issuer_name(cert));
  p.common_names = common_names_of(cert);
  p.dns_names = dns_names_of(cert);
  return p;
}

}  // namespace teiten::tls
