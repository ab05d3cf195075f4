"""What the daemons do with a database, a directory, a capture or a config
file that is not what they expect (issue 12: a careless operator's day).
Each case failed before its fix: a crash or adoption of someone else's
database, a directory promised but not made, a read-only file found only
at the end, times after 2038 read as 1901, a FIFO that hung -t."""
import contextlib
import datetime
import hashlib
import os
import sqlite3
import stat
import struct
import subprocess
import sys
import unittest

import harness
from harness import TempDir, binary, query, run, write_sensor_config

SCAN = os.path.join(harness.DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
SCHEMA_VERSION = 1  # the newest schema version teiten knows (common/store/schema.cpp)
SENSOR_APPLICATION_ID = 0x54544E53  # "TTNS" (README.md, "The database")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def set_pragma(db, pragma, value):
    with contextlib.closing(sqlite3.connect(db)) as c:
        c.execute(f"PRAGMA {pragma} = {value}")
        c.commit()


def pragma(db, name):
    return query(db, f"PRAGMA {name}")[0][0]


def syn_frame(src, dst, dport):
    """Ethernet + IPv4 + TCP SYN, checksums included."""
    def checksum(data):
        if len(data) % 2:
            data += b"\0"
        s = sum(struct.unpack(f"!{len(data) // 2}H", data))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        return ~s & 0xFFFF
    tcp = struct.pack("!HHIIBBHHH", 40000, dport, 1, 0, 5 << 4, 0x02, 1024, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00" + ip + tcp


def write_pcap(path, packets):
    """A classic pcap (microseconds, Ethernet) of (seconds, frame) pairs;
    seconds are the file format's unsigned 32-bit field."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for seconds, frame in packets:
            f.write(struct.pack("<IIII", seconds, 0, len(frame), len(frame)) + frame)


class SensorDatabaseTest(harness.SensorCase):
    def setUp(self):
        super().setUp()
        self.config = write_sensor_config(self.tmp.file("sensor.yaml"), db="sensor.db")
        self.db = self.tmp.file("sensor.db")

    def replay(self, config=None, capture=SCAN):
        return run([self.sensor, "-c", config or self.config, "--read", capture])

    def made_database(self):
        r = self.replay()
        self.assertEqual(r.returncode, 0, r.stderr)
        return self.db

    def assert_refused_untouched(self, db, expect_in_stderr):
        before = digest(db)
        r = self.replay()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(expect_in_stderr, r.stderr)
        self.assertNotIn("read_start", r.stderr, "refused only after reading the input")
        self.assertEqual(digest(db), before, "the refused database file was changed")
        return r

    def test_schema_version_outside_known_range_is_refused_and_file_untouched(self):
        # Before: -2147483648 crashed the sensor (out-of-bounds read), -2 and
        # -1000 threw from std::string, bad_alloc.
        db = self.made_database()
        for version in (-2147483648, -2, -1000, -1, SCHEMA_VERSION + 1, 2147483647):
            with self.subTest(version=version):
                set_pragma(db, "user_version", version)
                r = self.assert_refused_untouched(db, f"schema version {version}")
                self.assertIn(f"0..{SCHEMA_VERSION}", r.stderr)

    def test_a_foreign_database_is_refused_and_left_alone(self):
        # Before: it was adopted, teiten's tables added beside the table x.
        with contextlib.closing(sqlite3.connect(self.db)) as c:
            c.execute("CREATE TABLE x(a)")
            c.execute("INSERT INTO x VALUES (1)")
            c.commit()
        self.assert_refused_untouched(self.db, "not a teiten")
        self.assertEqual(query(self.db, "SELECT name FROM sqlite_master"), [("x",)])

    def test_another_applications_id_is_refused(self):
        with contextlib.closing(sqlite3.connect(self.db)) as c:
            c.execute("PRAGMA application_id = 1095909698")  # someone else's, empty database
            c.commit()
        self.assert_refused_untouched(self.db, "application id")

    def test_teiten_databases_carry_the_application_id_and_older_ones_get_it(self):
        db = self.made_database()
        self.assertEqual(pragma(db, "application_id"), SENSOR_APPLICATION_ID)
        # A database made before application ids existed: teiten's tables,
        # schema version 1, id 0. It is recognised and stamped.
        set_pragma(db, "application_id", 0)
        rows = query(db, "SELECT count(*) FROM rollup")
        r = self.replay()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(pragma(db, "application_id"), SENSOR_APPLICATION_ID)
        self.assertEqual(query(db, "SELECT count(*) FROM rollup"), rows)

    def test_the_database_directory_is_created_mode_0750(self):
        # Before: -t said OK but the run failed: cannot create lock file.
        config = write_sensor_config(self.tmp.file("d.yaml"), db=self.tmp.file("state/s.db"))
        check = run([self.sensor, "-c", config, "-t", "--read", SCAN])
        self.assertEqual(check.returncode, 0, check.stderr)
        r = self.replay(config)
        self.assertEqual(r.returncode, 0, r.stderr)
        st = os.stat(self.tmp.file("state"))
        self.assertEqual(stat.S_IMODE(st.st_mode), 0o750)
        self.assertGreater(query(self.tmp.file("state/s.db"), "SELECT count(*) FROM rollup")[0][0], 0)

    def test_a_read_only_database_is_refused_at_start_up(self):
        # Before: the whole input was read, then the first flush failed.
        db = self.made_database()
        before = digest(db)
        if os.geteuid() == 0:
            # Root writes through mode 0444; the immutable flag stops it.
            subprocess.run(["chattr", "+i", db], check=True)
            self.addCleanup(subprocess.run, ["chattr", "-i", db])
        else:
            os.chmod(db, 0o444)
        r = self.replay()
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("cannot be written", r.stderr)
        self.assertNotIn("read_start", r.stderr)
        self.assertEqual(digest(db), before)


class CaptureTimeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()

    def tearDown(self):
        self.tmp.cleanup()

    def test_pcap_times_after_2038_count_until_2106(self):
        # Before: libpcap's signed seconds made these 1901-12-13, malformed.
        times = [0x7FFFFFFF, 0x80000000, 0x80000001, 0xC0000000, 0xFFFFFFFF]
        capture = self.tmp.file("late.pcap")
        dst = bytes([192, 0, 2, 1])
        write_pcap(capture, [(t, syn_frame(bytes([198, 51, 100, i + 1]), dst, 22 + i))
                             for i, t in enumerate(times)])
        # tshark (wiretap reads the field unsigned) is the independent oracle.
        epoch = run(["tshark", "-r", capture, "-T", "fields", "-e", "frame.time_epoch"])
        self.assertEqual(epoch.returncode, 0, epoch.stderr)
        self.assertEqual([int(float(x)) for x in epoch.stdout.split()], times)

        config = write_sensor_config(self.tmp.file("s.yaml"), db="s.db")
        r = run([binary("teiten-sensor"), "-c", config, "--read", capture])
        self.assertEqual(r.returncode, 0, r.stderr)
        db = self.tmp.file("s.db")
        expect = sorted((datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
                         .strftime("%Y-%m-%d"), 22 + i, f"198.51.100.{i + 1}", t, t)
                        for i, t in enumerate(times))
        self.assertEqual(sorted(query(db, "SELECT day, port, src, first_seen, last_seen"
                                          " FROM rollup")), expect)
        self.assertEqual(query(db, "SELECT sum(malformed) FROM coverage"), [(0,)])
        self.assertEqual(query(db, "SELECT min(first_packet), max(last_packet) FROM coverage"),
                         [(min(times), max(times))])


class ConfigFileTest(harness.SensorCase):
    def check(self, config, timeout=30):
        return run([self.sensor, "-c", config, "-t", "--read", SCAN], timeout=timeout)

    def bad_prefixes(self, name, count):
        """A config whose capture.observed lists `count` invalid prefixes,
        one a line from line 4."""
        path = self.tmp.file(name)
        with open(path, "w") as f:
            f.write("sensor: {id: s01}\ncapture:\n  observed:\n")
            for i in range(count):
                f.write(f"    - 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}/33x\n")
        return path

    def test_a_fifo_as_config_or_certificate_is_refused_not_waited_on(self):
        # Before: open() of a FIFO waited for a writer, and -t hung forever.
        fifo = self.tmp.file("fifo")
        os.mkfifo(fifo)
        r = self.check(fifo)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(f"{fifo}: cannot read the configuration: not a regular file (a FIFO)",
                      r.stderr)
        pki = harness.make_certs(self.tmp.file("pki"), "s01")
        config = write_sensor_config(
            self.tmp.file("s.yaml"),
            extra=harness.collector_section(7450, pki, "s01").replace(f"{pki}/ca.pem", fifo))
        r = self.check(config)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertRegex(r.stderr, r"s\.yaml:\d+:\d+: collector\.ca: cannot read .*fifo: "
                                   r"not a regular file \(a FIFO\)")

    def test_a_huge_config_is_refused_in_proportionate_memory_with_one_error(self):
        # Before: 15 MiB of 744,762 bad entries took 890 MB and 75 s, and
        # printed 744,762 lines.
        big = self.bad_prefixes("big.yaml", 744762)
        self.assertGreater(os.path.getsize(big), 15 << 20)
        # A fresh interpreter whose only child is the sensor reports the
        # sensor's peak resident set (RUSAGE_CHILDREN), in KiB.
        measure = ("import resource, subprocess, sys\n"
                   "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
                   "sys.stdout.write(r.stderr)\n"
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
                   "sys.exit(r.returncode)\n")
        r = run([sys.executable, "-c", measure, self.sensor, "-c", big, "-t", "--read", SCAN],
                timeout=300)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        *errors, peak_kib = r.stdout.splitlines()
        self.assertEqual(errors, [f"{big}:65531:7: more than 65536 values; "
                                  "a configuration this large is a mistake"])
        # The file itself is read whole (16 MiB) and parsed as a stream.
        # ASan's shadow, redzones and quarantine roughly double a process
        # (189 MiB here); three times the bound still tells 890 MB apart.
        bound = 100 * 1024 * (3 if harness.sanitized() else 1)
        self.assertLess(int(peak_kib), bound)

    def test_many_errors_print_the_first_100_and_a_count(self):
        config = self.bad_prefixes("many.yaml", 5000)
        r = self.check(config)
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 101, lines[-3:])
        self.assertEqual(lines[-1], f"{config}: and 4900 more errors")


class CollectorDatabaseTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.pki = harness.make_certs(self.tmp.file("pki"), "s01")

    def tearDown(self):
        self.tmp.cleanup()

    def config(self, db):
        return harness.write_collector_config(self.tmp.file("c.yaml"), harness.free_port(),
                                              self.pki, ["s01"], db=db)

    def test_the_collector_creates_its_database_directory_and_stamps_its_id(self):
        db = self.tmp.file("state/c.db")
        daemon = harness.start_collector(self.config(db), self.tmp.file("c.log"))
        self.assertEqual(daemon.stop(), 0, daemon.log_text())
        self.assertEqual(stat.S_IMODE(os.stat(self.tmp.file("state")).st_mode), 0o750)
        self.assertNotIn(pragma(db, "application_id"), (0, SENSOR_APPLICATION_ID))

    def test_the_collector_refuses_a_foreign_database_and_a_sensor_database(self):
        foreign = self.tmp.file("foreign.db")
        with contextlib.closing(sqlite3.connect(foreign)) as c:
            c.execute("CREATE TABLE x(a)")
            c.commit()
        sensor_db = self.tmp.file("sensor.db")
        config = write_sensor_config(self.tmp.file("s.yaml"), db=sensor_db)
        self.assertEqual(run([binary("teiten-sensor"), "-c", config, "--read", SCAN]).returncode, 0)
        for db, reason in ((foreign, "not a teiten"), (sensor_db, "sensor database")):
            with self.subTest(db=db):
                before = digest(db)
                r = run([binary("teiten-collector"), "-c", self.config(db)], timeout=60)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(reason, r.stderr)
                self.assertEqual(digest(db), before)


if __name__ == "__main__":
    harness.run_tests(require=("tshark", "chattr"))
