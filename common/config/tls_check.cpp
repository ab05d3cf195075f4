#include "common/config/tls_check.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "common/config/text_file.h"
#include "common/tls/peer_identity.h"

namespace teiten::config::detail {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* c) const { X509_free(c); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

BioPtr memory_bio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::vector<X509Ptr> read_certificates(const std::string& text) {
  std::vector<X509Ptr> out;
  auto bio = memory_bio(text);
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(c);
  ERR_clear_error();  // the read that ends the loop always fails
  return out;
}

// Without a callback OpenSSL would prompt on the terminal for the
// passphrase of an encrypted key; refuse and remember that it asked.
int refuse_passphrase(char*, int, int, void* asked) {
  *static_cast<bool*>(asked) = true;
  return -1;
}

KeyPtr read_private_key(const std::string& text, bool& encrypted) {
  auto bio = memory_bio(text);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, &encrypted));
  ERR_clear_error();
  return key;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string subject_of(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  return bio_text(bio.get());
}

std::string time_text(const ASN1_TIME* t) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), t);
  return bio_text(bio.get());
}

class Checker {
 public:
  Checker(const SourceMarks& marks, const std::string& section, std::vector<ConfigError>& out)
      : marks_(marks), section_(section), out_(out) {}

  void problem(const std::string& key, const std::string& message) {
    out_.push_back(marks_.error_at(section_ + "." + key, message));
  }

  bool read(const std::string& key, const std::string& path, std::string& text) {
    std::string reason;
    if (read_text_file(path, text, reason)) return true;
    problem(key, "cannot read " + path + ": " + reason);
    return false;
  }

  // Certificates that are expired or not yet valid fail every handshake;
  // saying so here beats a TLS alert at 3 a.m.
  void check_validity(const std::string& key, const std::string& path, X509* cert) {
    if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0)
      problem(key, "the certificate " + subject_of(cert) + " in " + path + " expired on " +
                       time_text(X509_get0_notAfter(cert)));
    else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0)
      problem(key, "the certificate " + subject_of(cert) + " in " + path + " is not valid before " +
                       time_text(X509_get0_notBefore(cert)));
  }

 private:
  const SourceMarks& marks_;
  const std::string& section_;
  std::vector<ConfigError>& out_;
};

}  // namespace

void check_tls_files(const SourceMarks& marks, const TlsFiles& files,
                     std::vector<ConfigError>& out) {
  Checker check(marks, files.section, out);
  std::string text;

  if (check.read("ca", files.ca, text)) {
    auto authorities = read_certificates(text);
    if (authorities.empty()) check.problem("ca", files.ca + " holds no PEM certificate");
    for (auto& c : authorities) check.check_validity("ca", files.ca, c.get());
  }

  X509Ptr leaf;
  if (check.read("cert", files.cert, text)) {
    auto chain = read_certificates(text);
    if (chain.empty()) {
      check.problem("cert", files.cert + " holds no PEM certificate");
    } else {
      leaf = std::move(chain.front());
      check.check_validity("cert", files.cert, leaf.get());
      // The collector's own rule, so `-t` and the live check cannot disagree.
      if (!files.required_name.empty() && !tls::identity_of(leaf.get()).names(files.required_name))
        check.problem("cert", "the certificate " + subject_of(leaf.get()) + " in " + files.cert +
                                  " does not carry '" + files.required_name +
                                  "' as common name or DNS name, so the collector will refuse it");
    }
  }

  if (check.read("key", files.key, text)) {
    bool encrypted = false;
    auto key = read_private_key(text, encrypted);
    if (!key)
      check.problem("key", encrypted
                               ? files.key + " is encrypted; the daemon needs an unencrypted key"
                               : files.key + " holds no PEM private key");
    else if (leaf && X509_check_private_key(leaf.get(), key.get()) != 1)
      check.problem("key", files.key + " does not match the certificate in " + files.cert);
  }
  ERR_clear_error();
}

}  // namespace teiten::config::detail
