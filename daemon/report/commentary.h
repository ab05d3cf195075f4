// teiten-report's commentary table: what scanning of a port type usually
// means, in Japanese and English, from ports.yaml (config/ports.yaml in
// the source tree, /usr/share/teiten/ports.yaml when installed).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/report/report_data.h"
#include "daemon/report/language.h"

namespace teiten::report_cli {

struct Commentary {
  std::string service;
  std::string ja, en;
  const std::string& text(Lang lang) const { return lang == Lang::ja ? ja : en; }
};

using CommentaryTable = std::map<report::PortType, Commentary>;

/// Throws std::runtime_error naming the file and the entry at fault.
CommentaryTable load_commentary(const std::string& path);

/// The ports.yaml an installed or a freshly built teiten-report reads:
/// PREFIX/share/teiten/ports.yaml beside the program's own PREFIX/bin, the
/// configured install location, or the source tree's config/ports.yaml.
std::string default_ports_file();

}  // namespace teiten::report_cli
