#!/usr/bin/env python3
"""A throwaway PostgreSQL server for teiten's tests and benchmarks.

initdb and pg_ctl from Debian's postgresql-15 make a cluster in a fresh
temporary directory under /tmp, listening on a Unix socket in that
directory and on a free loopback port. initdb refuses to run as root, so
when started as root (CI) the cluster belongs to the unprivileged user
`nobody` (runuser); otherwise to the calling user. Local socket
connections are trusted (superuser `teiten`); TCP connections need a
password (scram-sha-256), so the password settings can be tested.

As a command (for ctest fixtures and C++ tests; the state file names the directory):
  pg_server.py start STATE_FILE   starts a server, writes its directory to STATE_FILE
  pg_server.py stop STATE_FILE    stops it and removes its directory
  pg_server.py pause STATE_FILE   stops it, keeping its data
  pg_server.py resume STATE_FILE  starts it again on the same port
As a module: PgServer().start(); .conninfo(db); .psql(sql, db); .stop(); .start_again()

Exit status of `start`: 0 started, 1 could not start (always when root:
CI must fail, never pass silently), 77 not root and PostgreSQL missing.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

SKIP = 77
SUPERUSER = "teiten"


def bindir():
    """Directory of initdb/pg_ctl/postgres (Debian: /usr/lib/postgresql/N/bin), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return os.path.dirname(found[-1]) if found else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, path=None, fsync=False):
        self.bin = bindir()
        self.path = path  # the server's directory: data/, the socket, log
        self.port = None
        self.fsync = fsync
        self.owner = "nobody" if os.geteuid() == 0 else None

    # --- where things are ---------------------------------------------------
    @property
    def data(self):
        return os.path.join(self.path, "data")

    @property
    def log(self):
        return os.path.join(self.path, "server.log")

    def conninfo(self, dbname="postgres", user=SUPERUSER):
        """libpq conninfo over the Unix socket (trusted, no password)."""
        return f"host={self.path} port={self.port} dbname={dbname} user={user}"

    def tcp_conninfo(self, dbname, user):
        """libpq conninfo over loopback TCP (a password is required)."""
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user={user}"

    def url(self, dbname="postgres"):
        """The same as a postgresql:// URI (socket directory as host parameter)."""
        return f"postgresql:///{dbname}?host={self.path}&port={self.port}&user={SUPERUSER}"

    # --- life cycle ---------------------------------------------------------
    def _as_owner(self, args):
        return (["runuser", "-u", self.owner, "--"] if self.owner else []) + list(args)

    def _run(self, args, timeout=120):
        r = subprocess.run(self._as_owner(args), capture_output=True, text=True, timeout=timeout,
                           cwd="/")
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}"
                               + self.log_text())
        return r

    def log_text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except OSError:
            return ""

    def start(self):
        if not self.bin:
            raise RuntimeError("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin);"
                               " install postgresql-15 (scripts/setup does)")
        if self.path is None:
            self.path = tempfile.mkdtemp(prefix="teiten-pg-")
        if self.owner:
            pw = pwd.getpwnam(self.owner)
            os.chown(self.path, pw.pw_uid, pw.pw_gid)
        os.chmod(self.path, 0o755)  # tests read the log; the owner writes
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", SUPERUSER,
                   "-E", "UTF8", "--locale=C", "--auth-local=trust",
                   "--auth-host=scram-sha-256", "--no-sync"])
        self.port = free_port()
        with open(os.path.join(self.path, "port"), "w") as f:
            f.write(str(self.port))
        self.start_again()
        return self

    def open(self):
        """Starts the cluster kept in self.path (a cache, e.g. the bench's),
        making it first when there is none yet."""
        if not os.path.isdir(self.data):
            os.makedirs(self.path, exist_ok=True)
            return self.start()
        self.port = free_port()
        with open(os.path.join(self.path, "port"), "w") as f:
            f.write(str(self.port))
        self.start_again()
        return self

    def _options(self):
        opts = [f"-k {self.path}", "-c listen_addresses=127.0.0.1", f"-p {self.port}",
                "-c max_connections=200", "-c log_min_messages=warning"]
        if not self.fsync:
            opts += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        else:  # durable, with the WAL room a server taking bulk inserts is given
            opts += ["-c max_wal_size=4GB", "-c checkpoint_timeout=15min"]
        return " ".join(opts)

    def start_again(self):
        """Starts the (stopped) server on the same directory and port."""
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", self.log, "-w",
                   "-t", "60", "-o", self._options(), "start"])

    def stop_only(self, mode="fast"):
        """Stops the server and keeps its data (start_again() resumes it)."""
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop"])

    def running(self):
        if not self.bin or not self.path or not os.path.isdir(self.data):
            return False
        r = subprocess.run(self._as_owner([os.path.join(self.bin, "pg_ctl"), "-D", self.data,
                                           "status"]), capture_output=True)
        return r.returncode == 0

    def stop(self):
        """Stops the server (immediately) and removes its directory."""
        if self.running():
            try:
                self.stop_only("immediate")
            except RuntimeError:
                pass
        if self.path:
            shutil.rmtree(self.path, ignore_errors=True)

    # --- queries through psql -------------------------------------------------
    def psql(self, sql, dbname="postgres", user=SUPERUSER):
        """Runs SQL through psql; returns rows as lists of strings (NULL as None)."""
        r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", "\x1f",
                            "-P", "null=\x1e", "-d", self.conninfo(dbname, user), "-c", sql],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr}")
        rows = []
        for line in r.stdout.split("\n"):
            if line == "":
                continue
            rows.append([None if v == "\x1e" else v for v in line.split("\x1f")])
        return rows

    def create_database(self, name):
        self.psql(f'CREATE DATABASE "{name}"')
        return self.conninfo(name)

    @classmethod
    def attach(cls, path):
        """The server a `start` command left in `path`."""
        s = cls(path)
        with open(os.path.join(path, "port")) as f:
            s.port = int(f.read())
        return s


def shared_server():
    """The suite's server, started by the ctest fixture teiten_pg (the test
    needs `teiten_requires_pg` in CMake, which sets TEITEN_PG_STATE). Without
    one: AssertionError as root (CI must not pass without PostgreSQL),
    unittest.SkipTest otherwise."""
    import unittest
    state = os.environ.get("TEITEN_PG_STATE", "")
    path = ""
    if state and os.path.exists(state):
        with open(state) as f:
            path = f.read().strip()
    if not path or not os.path.isdir(path):
        why = ("no PostgreSQL test server: run through ctest (fixture pg_server_start) "
               f"or scripts/test; TEITEN_PG_STATE={state!r}")
        if os.geteuid() == 0:
            raise AssertionError(why)
        raise unittest.SkipTest(why)
    return PgServer.attach(path)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop", "pause", "resume"):
        print(__doc__)
        return 2
    state = argv[2]
    if argv[1] == "start":
        if bindir() is None or shutil.which("psql") is None:
            print("pg_server: PostgreSQL (postgresql-15, postgresql-client) is not installed")
            return 1 if os.geteuid() == 0 else SKIP
        if os.path.exists(state):  # left by an interrupted run: do not leak its server
            with open(state) as f:
                old = f.read().strip()
            if old and os.path.isdir(old):
                PgServer.attach(old).stop()
        server = PgServer()
        try:
            server.start()
        except Exception as e:  # noqa: BLE001 - any failure must fail the fixture
            print(f"pg_server: cannot start PostgreSQL: {e}")
            server.stop()
            return 1
        with open(state, "w") as f:
            f.write(server.path + "\n")
        print(f"pg_server: started in {server.path} port {server.port}")
        return 0
    try:
        with open(state) as f:
            path = f.read().strip()
    except OSError:
        return 0 if argv[1] == "stop" else 1
    if argv[1] == "pause":
        PgServer.attach(path).stop_only()
        return 0
    if argv[1] == "resume":
        PgServer.attach(path).start_again()
        return 0
    PgServer.attach(path).stop()
    os.unlink(state)
    print(f"pg_server: stopped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
