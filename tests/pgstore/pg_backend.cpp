// The contract tests' PostgreSQL backend: a new database on the shared
// test server, read by a second connection.
#include "common/pgstore/pg_collector_store.h"
#include "common/pgstore/pg_report_source.h"
#include "pgstore/pg_test_server.h"
#include "store/storage_backend.h"

namespace teiten::test {
namespace {

class PgBackend final : public StorageBackend {
 public:
  std::string name() const override { return "postgresql"; }
  std::unique_ptr<store::CollectorStorage> open(const std::string& zone) override {
    return std::make_unique<pgstore::PgCollectorStore>(pgstore::PgSettings{conninfo_}, zone);
  }
  std::unique_ptr<store::ReportSource> report_source() override {
    return pgstore::open_pg_report_source({conninfo_});
  }
  std::vector<std::string> columns(const std::string& relation) override {
    std::vector<std::string> out;
    for (const auto& row : query("SELECT attname FROM pg_attribute WHERE attrelid = '" + relation +
                                 "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
      out.push_back(row[0]);
    return out;
  }
  Rows query(const std::string& sql) override {
    pgstore::PgConnection c({conninfo_, "", "teiten-test"});
    auto r = c.query(sql);
    Rows out;
    for (int i = 0; i < r.rows(); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < r.columns(); ++j) row.push_back(r.is_null(i, j) ? "NULL" : r.text(i, j));
      out.push_back(row);
    }
    return out;
  }

 private:
  std::string conninfo_ = fresh_pg_database();
};

}  // namespace

std::unique_ptr<StorageBackend> fresh_backend() {
  return std::make_unique<PgBackend>();
}

}  // namespace teiten::test
