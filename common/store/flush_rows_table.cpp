#include "common/store/flush_rows_table.h"

#include <sqlite3.h>

#include <string>

#include "common/base/ip_address.h"
#include "common/store/store_error.h"

namespace teiten::store {
namespace {

enum Column { kKey, kSrc, kAccesses, kFirstSeen, kLastSeen };

struct Table {
  sqlite3_vtab base{};
  FlushRowsTable* owner = nullptr;
};

struct Cursor {
  sqlite3_vtab_cursor base{};
  const tally::SortedRows* rows = nullptr;
  tally::SortedCursor at;
  bool v4 = true;  // which list the current row is from
  int64_t rowid = 0;

  bool eof() const { return rows == nullptr || at.i4 + at.i6 >= rows->size(); }
  // The merged order of the two lists, as tally::visit_sorted walks it.
  void pick() {
    if (eof()) return;
    v4 = at.i6 == rows->v6.size() ||
         (at.i4 < rows->v4.size() && tally::v4_first(rows->v4[at.i4], rows->v6[at.i6]));
  }
};

int x_connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(
      db,
      "CREATE TABLE x(k INTEGER, src, accesses INTEGER, first_seen INTEGER, last_seen INTEGER)");
  if (rc != SQLITE_OK) return rc;
  auto* t = new Table;
  t->owner = static_cast<FlushRowsTable*>(aux);
  *out = &t->base;
  return SQLITE_OK;
}

int x_disconnect(sqlite3_vtab* vtab) {
  delete reinterpret_cast<Table*>(vtab);
  return SQLITE_OK;
}

int x_best_index(sqlite3_vtab*, sqlite3_index_info* info) {
  // One full scan, already in primary-key order.
  info->estimatedCost = 1e6;
  if (info->nOrderBy == 2 && info->aOrderBy[0].iColumn == kKey && !info->aOrderBy[0].desc &&
      info->aOrderBy[1].iColumn == kSrc && !info->aOrderBy[1].desc)
    info->orderByConsumed = 1;
  return SQLITE_OK;
}

int x_open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  *out = &(new Cursor)->base;
  return SQLITE_OK;
}

int x_close(sqlite3_vtab_cursor* cur) {
  delete reinterpret_cast<Cursor*>(cur);
  return SQLITE_OK;
}

int x_filter(sqlite3_vtab_cursor* cur, int, const char*, int, sqlite3_value**) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  c->rows = reinterpret_cast<Table*>(cur->pVtab)->owner->rows();
  c->at = {};
  c->rowid = 0;
  c->pick();
  return SQLITE_OK;
}

int x_next(sqlite3_vtab_cursor* cur) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  if (c->v4)
    ++c->at.i4;
  else
    ++c->at.i6;
  ++c->rowid;
  c->pick();
  return SQLITE_OK;
}

int x_eof(sqlite3_vtab_cursor* cur) {
  return reinterpret_cast<Cursor*>(cur)->eof() ? 1 : 0;
}

int x_column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
  auto* c = reinterpret_cast<Cursor*>(cur);
  uint64_t key;
  const tally::Counts* counts;
  if (c->v4) {
    const auto& r = c->rows->v4[c->at.i4];
    key = r.key;
    counts = &r.counts;
    if (col == kSrc) {
      sqlite3_result_int64(ctx, int64_t{r.src});
      return SQLITE_OK;
    }
  } else {
    const auto& r = c->rows->v6[c->at.i6];
    key = r.key;
    counts = &r.counts;
    if (col == kSrc) {
      std::string text = base::format_ipv6(r.src);
      sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      return SQLITE_OK;
    }
  }
  switch (col) {
    case kKey:
      sqlite3_result_int64(ctx, static_cast<int64_t>(key));
      break;
    case kAccesses:
      sqlite3_result_int64(ctx, counts->accesses);
      break;
    case kFirstSeen:
      sqlite3_result_int64(ctx, counts->first_seen);
      break;
    case kLastSeen:
      sqlite3_result_int64(ctx, counts->last_seen);
      break;
    default:
      sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int x_rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  *out = reinterpret_cast<Cursor*>(cur)->rowid;
  return SQLITE_OK;
}

sqlite3_module make_module() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = nullptr;  // eponymous only: no CREATE VIRTUAL TABLE needed
  m.xConnect = x_connect;
  m.xBestIndex = x_best_index;
  m.xDisconnect = x_disconnect;
  m.xDestroy = x_disconnect;
  m.xOpen = x_open;
  m.xClose = x_close;
  m.xFilter = x_filter;
  m.xNext = x_next;
  m.xEof = x_eof;
  m.xColumn = x_column;
  m.xRowid = x_rowid;
  return m;
}

const sqlite3_module kModule = make_module();

}  // namespace

FlushRowsTable::FlushRowsTable(Database& db) {
  int rc = sqlite3_create_module_v2(db.handle(), kName, &kModule, this, nullptr);
  if (rc != SQLITE_OK)
    throw StoreError(std::string("cannot register ") + kName + ": " + sqlite3_errstr(rc), rc);
}

}  // namespace teiten::store
