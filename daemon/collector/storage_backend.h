// Which store::CollectorStorage the collector runs on. Its `storage`
// section names exactly one: an SQLite file (`path`, the default) or a
// PostgreSQL database (`postgres`: a libpq connection string or URI, with
// an optional `password_file`; docs/postgresql.md). This is the one place
// of the daemon that knows both backends; the ingest path, the commands and
// status see only the interface. Logs and status get location(), which
// never holds a secret.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/collector_config.h"
#include "common/store/collector_storage.h"

namespace teiten::collector {

/// Opens (and creates or migrates) the configured database; throws
/// store::StoreError saying why it cannot.
std::unique_ptr<store::CollectorStorage> open_storage(const config::CollectorConfig& c);

/// "sqlite" or "postgresql".
std::string_view backend_name(const config::CollectorConfig::Storage& s);

/// The file, or "postgresql host=... dbname=..." without secrets.
std::string location(const config::CollectorConfig::Storage& s);

/// What `-t` (and config-test, reload) checks beyond the file: for
/// PostgreSQL, that the server answers with a database this program can
/// use; reported at `storage.postgres`.
std::vector<config::ConfigError> check_storage(const config::CollectorConfig& c);

}  // namespace teiten::collector
