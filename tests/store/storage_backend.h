// Test support: one collector-storage backend for the contract tests
// (collector_storage_contract_test.cpp), which every backend must pass.
// Each test binary that runs the contract links one definition of
// fresh_backend(): SQLite in test_store, PostgreSQL in test_pgstore.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/store/collector_storage.h"
#include "common/store/report_source.h"

namespace teiten::test {

using Rows = std::vector<std::vector<std::string>>;

class StorageBackend {
 public:
  virtual ~StorageBackend() = default;
  /// "sqlite" or "postgresql".
  virtual std::string name() const = 0;
  /// Opens the collector storage on this backend's database (the same
  /// database on every call; a second open while one lives is allowed
  /// where the backend allows it).
  virtual std::unique_ptr<store::CollectorStorage> open(const std::string& fleet_zone) = 0;
  /// The report's read-only view of the same database (one snapshot).
  virtual std::unique_ptr<store::ReportSource> report_source() = 0;
  /// Column names of a view or table, in order.
  virtual std::vector<std::string> columns(const std::string& relation) = 0;
  /// Rows of a query through a second connection, as an operator's shell
  /// sees them: values as text, NULL as "NULL".
  virtual Rows query(const std::string& sql) = 0;
};

/// A backend holding a new, empty database.
std::unique_ptr<StorageBackend> fresh_backend();

}  // namespace teiten::test
