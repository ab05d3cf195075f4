"""Where a collector under test keeps its data, as the integration tests
configure and read it: an SQLite file or a PostgreSQL database on the
suite's server (tests/support/pg_server.py). Tests that run on both take a
backend and read the same views through it; values come back as SQLite's
shell gives them (integers as int, text as str, NULL as None), so results
from both compare equal.
"""
import os
import re
import sys

import harness

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pg_server  # noqa: E402

INTEGER = re.compile(r"-?\d+")


class SqliteStorage:
    name = "sqlite"

    def __init__(self, path):
        self.path = path

    def yaml(self):
        return f"storage: {{path: {self.path}}}\n"

    def rollup(self, columns=harness.ROLLUP_ALL, where=""):
        return harness.rollup(self.path, columns, where)

    def query(self, sql, params=()):
        return harness.query(self.path, sql, params)


class PgStorage:
    name = "postgresql"
    _count = 0

    def __init__(self, server=None, dbname=None):
        """A new database on `server` (default: the suite's server)."""
        self.server = server or pg_server.shared_server()
        PgStorage._count += 1
        self.dbname = dbname or f"it_{os.getpid()}_{PgStorage._count}"
        self.conninfo = self.server.create_database(self.dbname)

    def yaml(self, extra=""):
        return f'storage: {{postgres: "{self.conninfo}"{extra}}}\n'

    def rollup(self, columns=harness.ROLLUP_ALL, where=""):
        return sorted(self.query(f"SELECT {columns} FROM rollup {where}"))

    def query(self, sql, params=()):
        """`?` placeholders as in sqlite3, bound as quoted literals."""
        parts = sql.split("?")
        if len(parts) - 1 != len(params):
            raise ValueError(f"{len(params)} parameters for {len(parts) - 1} placeholders")
        text = parts[0]
        for value, rest in zip(params, parts[1:]):
            literal = str(value) if isinstance(value, int) else \
                "'" + str(value).replace("'", "''") + "'"
            text += literal + rest
        return [tuple(None if v is None else int(v) if INTEGER.fullmatch(v) else v for v in row)
                for row in self.server.psql(text, self.dbname)]
