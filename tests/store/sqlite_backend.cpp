// The contract tests' SQLite backend: a collector database file in a
// temporary directory, read by a second, read-only connection.
#include "common/store/collector_store.h"
#include "common/store/database.h"
#include "common/store/sqlite_report_source.h"
#include "store/sqlite_rows.h"
#include "store/storage_backend.h"
#include "support/temp_dir.h"

namespace teiten::test {
namespace {

class SqliteBackend final : public StorageBackend {
 public:
  std::string name() const override { return "sqlite"; }
  std::unique_ptr<store::CollectorStorage> open(const std::string& zone) override {
    return std::make_unique<store::CollectorStore>(path_, zone);
  }
  std::unique_ptr<store::ReportSource> report_source() override {
    return store::open_sqlite_report_source(path_);
  }
  std::vector<std::string> columns(const std::string& relation) override {
    store::Database db(path_, true);
    std::vector<std::string> out;
    auto st = db.prepare("SELECT name FROM pragma_table_info('" + relation + "') ORDER BY cid");
    while (st.step()) out.push_back(st.column_text(0));
    return out;
  }
  Rows query(const std::string& sql) override { return sqlite_rows(path_, sql); }

 private:
  TempDir dir_;
  std::string path_ = dir_.file("collector.db");
};

}  // namespace

std::unique_ptr<StorageBackend> fresh_backend() {
  return std::make_unique<SqliteBackend>();
}

}  // namespace teiten::test
