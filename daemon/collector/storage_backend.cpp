#include "daemon/collector/storage_backend.h"

#include "common/pgstore/pg_check.h"
#include "common/pgstore/pg_collector_store.h"
#include "common/store/collector_store.h"

namespace teiten::collector {
namespace {

bool on_postgres(const config::CollectorConfig::Storage& s) {
  return !s.postgres.empty();
}

pgstore::PgSettings pg_settings(const config::CollectorConfig::Storage& s) {
  return {s.postgres, s.password_file, "teiten-collector"};
}

}  // namespace

std::unique_ptr<store::CollectorStorage> open_storage(const config::CollectorConfig& c) {
  if (on_postgres(c.storage))
    return std::make_unique<pgstore::PgCollectorStore>(pg_settings(c.storage), c.fleet.timezone);
  return std::make_unique<store::CollectorStore>(c.storage.path, c.fleet.timezone);
}

std::string_view backend_name(const config::CollectorConfig::Storage& s) {
  return on_postgres(s) ? "postgresql" : "sqlite";
}

std::string location(const config::CollectorConfig::Storage& s) {
  return on_postgres(s) ? pgstore::describe(pg_settings(s)) : s.path;
}

std::vector<config::ConfigError> check_storage(const config::CollectorConfig& c) {
  if (!on_postgres(c.storage)) return {};
  auto problem = pgstore::database_problem(pg_settings(c.storage), c.fleet.timezone);
  if (problem.empty()) return {};
  return {c.marks.error_at("storage.postgres", problem)};
}

}  // namespace teiten::collector
