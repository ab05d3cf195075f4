// What the fuzz targets share: reporting a broken property, and handing
// bytes to parsers that only take a path (config loaders, certificate
// checks, capture files) without touching the disk.
//
// A target reports a broken property with broken(): it prints what broke
// and aborts, which libFuzzer records as a crash (with the input) and the
// regression replayer (replay_main.cpp) as a failed test.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace teiten::fuzz {

[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz property broken: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string_view bytes_of(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A directory of the run's own under $TMPDIR ("teiten-fuzz-NAME-XXXXXX"),
/// removed with its contents when the process exits normally.
inline std::filesystem::path run_directory(const std::string& name) {
  static std::vector<std::filesystem::path> made;
  std::string pattern =
      (std::filesystem::temp_directory_path() / ("teiten-fuzz-" + name + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) broken("cannot create a temporary directory");
  if (made.empty())
    std::atexit([] {
      std::error_code ec;
      for (const auto& dir : made) std::filesystem::remove_all(dir, ec);
    });
  made.push_back(pattern);
  return pattern;
}

/// A file in memory (memfd) with a path any open() accepts: a regular
/// file, as a config or certificate on disk would be, gone when destroyed.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view content, const char* name = "fuzz-input") {
    fd_ = memfd_create(name, MFD_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("memfd_create failed");
    for (size_t at = 0; at < content.size();) {
      ssize_t n = ::write(fd_, content.data() + at, content.size() - at);
      if (n < 0 && errno == EINTR) continue;  // libFuzzer's timeout alarm
      if (n <= 0) throw std::runtime_error("writing the memory file failed");
      at += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace teiten::fuzz
