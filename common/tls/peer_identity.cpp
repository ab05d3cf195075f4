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

}  // namespace

bool PeerIdentity::names(const std::string& id) const {
  return !id.empty() && (common_name == id ||
                         std::find(dns_names.begin(), dns_names.end(), id) != dns_names.end());
}

PeerIdentity identity_of(X509* cert) {
  PeerIdentity p;
  if (!cert) return p;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) == 1) {
    char hex[4];
    for (unsigned int i = 0; i < len; ++i) {
      std::snprintf(hex, sizeof hex, i ? ":%02x" : "%02x", md[i]);
      p.fingerprint += hex;
    }
  }
  p.subject = name_text(X509_get_subject_name(cert));
  p.issuer = name_text(X509_get_issuer_name(cert));
  char cn[256];
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  if (n > 0) p.common_name.assign(cn, static_cast<size_t>(n));
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
      if (g->type != GEN_DNS) continue;
      const auto* data = ASN1_STRING_get0_data(g->d.dNSName);
      int dlen = ASN1_STRING_length(g->d.dNSName);
      if (data && dlen > 0)
        p.dns_names.emplace_back(reinterpret_cast<const char*>(data), static_cast<size_t>(dlen));
    }
    GENERAL_NAMES_free(sans);
  }
  return p;
}

}  // namespace teiten::tls
