#include "common/process/metrics_text.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace teiten::process {
namespace {

// HELP text escapes backslash and newline; label values also the quote.
std::string escaped(const std::string& s, bool label_value) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && label_value)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string metric_name(const std::string& prefix, const CounterInfo& row) {
  std::string name = prefix + "_" + row.metric_name();
  if (row.type == CounterType::counter) name += "_total";
  return name;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path);
}

}  // namespace

std::string prometheus_text(const CounterRows& rows, std::span<const CounterValue> values) {
  std::string out;
  std::vector<bool> done(rows.size());
  // A family's rows are written together under one HELP and TYPE, wherever
  // they sit in the table.
  for (size_t i = 0; i < rows.size(); ++i) {
    if (done[i] || !rows[i].sum_of.empty()) continue;
    const auto name = metric_name(rows.metric_prefix(), rows[i]);
    out += "# HELP " + name + " " + escaped(rows[i].help, false) + "\n";
    out += "# TYPE " + name + " " + std::string(process::name(rows[i].type)) + "\n";
    for (size_t j = i; j < rows.size(); ++j) {
      if (done[j] || !rows[j].sum_of.empty() || metric_name(rows.metric_prefix(), rows[j]) != name)
        continue;
      done[j] = true;
      auto text = rows.value(j, values).text();
      if (text.empty()) continue;  // not applicable, unsupported: no sample
      out += name;
      if (!rows[j].label.empty())
        out += "{" + rows[j].label + "=\"" + escaped(rows[j].label_value, true) + "\"}";
      out += " " + text + "\n";
    }
  }
  return out;
}

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  fs::path target(path);
  // Hidden, and not *.prom: node_exporter never reads a half-written file.
  fs::path temp = target.parent_path() /
                  ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", temp.string());
  size_t written = 0;
  while (written < text.size()) {
    auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int write_err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      errno = write_err;
      fail("cannot write", temp.string());
    }
    written += static_cast<size_t>(n);
  }
  int err = ::fchmod(fd, 0644) == 0 ? 0 : errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    errno = err;
    fail("cannot finish", temp.string());
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    err = errno;
    ::unlink(temp.c_str());
    errno = err;
    fail("cannot rename " + temp.string() + " to", path);
  }
}

}  // namespace teiten::process
