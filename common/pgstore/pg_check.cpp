#include "common/pgstore/pg_check.h"

#include "common/pgstore/pg_connection.h"
#include "common/pgstore/pg_schema.h"

namespace teiten::pgstore {

std::string database_problem(const PgSettings& settings, const std::string& fleet_zone) {
  try {
    PgConnection c(settings);
    int version = schema_version(c);
    if (auto problem = schema_version_problem(version); !problem.empty())
      return "PostgreSQL database " + c.description() + " " + problem;
    if (version == 0) return "";
    auto zone = c.query("SELECT value FROM meta WHERE key = 'timezone'");
    if (zone.rows() > 0 && zone.text(0, 0) != fleet_zone)
      return "PostgreSQL database " + c.description() + " counts days in time zone " +
             zone.text(0, 0) + ", but fleet.timezone is " + fleet_zone;
    return "";
  } catch (const store::StoreError& e) {
    return e.what();
  }
}

}  // namespace teiten::pgstore
