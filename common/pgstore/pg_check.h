// teiten::pgstore::database_problem — what `teiten-collector -t` checks of
// a `storage.postgres` database before the collector would use it: the
// connection string is usable (parses, holds no password), the password
// file is readable, the server answers, and the database's teiten schema
// (if any yet) is a version this program knows and counts days in the
// fleet's time zone. Reads only; an empty database is fine (the collector
// creates the schema when it starts).
#pragma once

#include <string>

#include "common/pgstore/pg_settings.h"

namespace teiten::pgstore {

/// Why the collector could not use this database, or empty. Never quotes
/// a password.
std::string database_problem(const PgSettings& settings, const std::string& fleet_zone);

}  // namespace teiten::pgstore
