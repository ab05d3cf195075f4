// teiten::config::file_sha256 — identifies the configuration a daemon runs
// with, so `status` can show whether the file on disk is what was loaded.
#pragma once

#include <string>

namespace teiten::config {

/// SHA-256 of the file's bytes in hex; empty when it cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace teiten::config
