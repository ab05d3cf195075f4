// teiten::config::detail::read_text_file — reads a whole configuration,
// certificate or key file, reporting the OS reason on failure, for the
// loaders and the environment check. Regular files only and bounded,
// because a config path can name /dev/zero or a FIFO by mistake (which
// would never end or never start). Internal to common/config; never logs.
#pragma once

#include <string>

namespace teiten::config::detail {

inline constexpr size_t max_text_file = 16u << 20;

/// True with the content in `out`; false with e.g. "No such file or
/// directory" in `reason`.
bool read_text_file(const std::string& path, std::string& out, std::string& reason);

}  // namespace teiten::config::detail
