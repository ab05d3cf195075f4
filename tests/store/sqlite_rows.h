// Test support: an SQLite database as an operator's sqlite3 shell sees it
// while a daemon writes: rows of a query through a second, read-only
// connection, values as text and NULL as "NULL" (the form
// StorageBackend::query answers in).
#pragma once

#include <string>

#include "common/store/database.h"
#include "store/storage_backend.h"

namespace teiten::test {

inline Rows sqlite_rows(const std::string& path, const std::string& sql) {
  store::Database db(path, true);
  Rows out;
  auto st = db.prepare(sql);
  while (st.step()) {
    std::vector<std::string> row;
    for (int i = 0; i < st.column_count(); ++i)
      row.push_back(st.column_is_null(i) ? "NULL" : st.column_text(i));
    out.push_back(row);
  }
  return out;
}

}  // namespace teiten::test
