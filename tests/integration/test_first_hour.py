"""The operator's and the analyst's first hour (issue 15), through the real
binaries: progress lines on a pseudo-terminal and none on a pipe, --read
without a config file, the default configuration paths, -t warnings,
teitenctl's list-commands and sensors output, bash completion, and the man
pages and completions `cmake --install` puts in place."""
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BUILD, DATA, SOURCE, TempDir, binary, collector_section, free_port,  # noqa: E402
                     make_certs, query, rollup, run, run_tests, start_collector,
                     write_collector_config)

NMAP = os.path.join(DATA, "ndpi-nmap-syn-scan-1000ports.pcap")
SIP_2006 = os.path.join(DATA, "ndpi-wireshark-fuzz-sip-2006.pcap")  # packets of July 2005


def run_on_terminal(args, cwd, env=None, timeout=300):
    """Runs args with stdin, stdout and stderr on a pseudo-terminal; returns
    (exit status, everything it wrote)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                            env=dict(os.environ, **(env or {})))
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, out.decode(errors="replace")


class Progress(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        # Enough packets that the line is drawn more than once on a slow machine.
        r = run([binary("teiten-synth"), "bench-telescope", "--packets", "400000", "--out",
                 cls.tmp.file("bench")])
        assert r.returncode == 0, r.stderr
        cls.pcap = cls.tmp.file("bench/bench-telescope.pcap")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_sensor_read_draws_a_progress_line_and_a_summary_on_a_terminal(self):
        code, out = run_on_terminal([binary("teiten-sensor"), "--read", self.pcap, "--db",
                                     "tty.db"], self.tmp.path)
        self.assertEqual(code, 0, out)
        frames = re.findall(r"\rbench-telescope\.pcap  (\d+)%  [0-9.]+[kM]? packets", out)
        self.assertTrue(frames, out)
        self.assertTrue(all(0 <= int(p) <= 100 for p in frames))
        summary = re.search(r"read 1 file in [0-9.]+s: 400,000 packets, ([0-9,]+) accesses, "
                            r"([0-9,]+) rows committed .*, 0 malformed, ([0-9,]+) ignored", out)
        self.assertIsNotNone(summary, out)
        rows = query(self.tmp.file("tty.db"), "SELECT count(*), sum(accesses) FROM rollup")[0]
        self.assertEqual(int(summary.group(2).replace(",", "")), rows[0])
        self.assertEqual(int(summary.group(1).replace(",", "")), rows[1])

    def test_sensor_read_into_a_pipe_writes_no_progress_line_and_no_summary(self):
        r = run([binary("teiten-sensor"), "--read", self.pcap, "--db",
                 self.tmp.file("pipe.db")])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("\r", r.stderr)
        self.assertNotIn("\x1b[", r.stderr)
        self.assertNotIn("read 1 file", r.stderr)
        self.assertIn("read_end", r.stderr)  # the logs are as they were

    def test_synth_and_report_show_progress_on_a_terminal_only(self):
        code, out = run_on_terminal([binary("teiten-synth"), "bench-small", "--packets", "300000",
                                     "--out", "small"], self.tmp.path)
        self.assertEqual(code, 0, out)
        self.assertRegex(out, r"\rbench-small\.pcap  \d+%  [0-9.]+[kM]? packets")
        self.assertIn("wrote 300,000 packets to 1 file in", out)
        piped = run([binary("teiten-synth"), "bench-small", "--packets", "1000", "--out",
                     self.tmp.file("small2")])
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertNotIn("\r", piped.stderr)
        self.assertNotIn("wrote", piped.stderr)

        db = self.tmp.file("report.db")
        self.assertEqual(run([binary("teiten-sensor"), "--read", self.pcap, "--db", db])
                         .returncode, 0)
        code, out = run_on_terminal([binary("teiten-report"), "--db", db, "--month", "2010-07",
                                     "--out", "rep", "--lang", "en"], self.tmp.path)
        self.assertEqual(code, 0, out)
        self.assertIn("\rreading 2010-07 from report.db", out)
        self.assertRegex(out, r"wrote rep/ \(report\.json, report\.html, figures/\) in [0-9.]+s")
        piped = run([binary("teiten-report"), "--db", db, "--month", "2010-07", "--out",
                     self.tmp.file("rep2"), "--lang", "en"])
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertNotIn("\r", piped.stderr)
        self.assertNotIn("wrote", piped.stderr)


class ReadWithoutConfig(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()

    def tearDown(self):
        self.tmp.cleanup()

    def test_one_command_counts_a_capture_named_after_the_file(self):
        shutil.copy(NMAP, self.tmp.file("s07.pcap"))
        r = run([binary("teiten-sensor"), "--read", "s07.pcap", "--db", "out.db"],
                cwd=self.tmp.path)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Same rows as through a config file that says the same.
        with open(self.tmp.file("s.yaml"), "w") as f:
            f.write("sensor: {id: s07}\nstorage: {path: viafile.db}\n")
        r = run([binary("teiten-sensor"), "-c", "s.yaml", "--read", "s07.pcap"], cwd=self.tmp.path)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = rollup(self.tmp.file("out.db"), "day, sensor, proto, port, src, kind, accesses")
        self.assertTrue(got)
        self.assertEqual(got, rollup(self.tmp.file("viafile.db"),
                                     "day, sensor, proto, port, src, kind, accesses"))
        self.assertEqual({row[1] for row in got}, {"s07"})

    def test_flags_set_id_zone_and_observed(self):
        r = run([binary("teiten-sensor"), "--read", NMAP, "--db", self.tmp.file("a.db"),
                 "--id", "lab", "--timezone", "Asia/Tokyo", "--observed", "64.13.134.52",
                 "2001:db8::/32"])
        self.assertEqual(r.returncode, 0, r.stderr)
        # Two files: no one name, so the id is "local"; no --observed: every destination.
        all_rows = run([binary("teiten-sensor"), "--read", NMAP, SIP_2006, "--db",
                        self.tmp.file("b.db"), "--timezone", "Asia/Tokyo"])
        self.assertEqual(all_rows.returncode, 0, all_rows.stderr)
        self.assertEqual({s for (s,) in query(self.tmp.file("a.db"),
                                              "SELECT DISTINCT sensor FROM rollup")}, {"lab"})
        self.assertEqual({s for (s,) in query(self.tmp.file("b.db"),
                                              "SELECT DISTINCT sensor FROM rollup")}, {"local"})
        counters = dict(query(self.tmp.file("a.db"),
                              "SELECT name, sum(value) FROM counters GROUP BY name"))
        # The 17 replies from the observed target to the scanner are its own.
        self.assertEqual(counters.get("ignored.own_source"), 17)
        self.assertEqual(query(self.tmp.file("a.db"), "SELECT sum(accesses) FROM rollup"),
                         [(1994,)])
        self.assertNotIn("ignored.not_observed", dict(query(
            self.tmp.file("b.db"), "SELECT name, sum(value) FROM counters GROUP BY name")))

    def test_flags_override_the_file(self):
        with open(self.tmp.file("s.yaml"), "w") as f:
            f.write("sensor: {id: fromfile, timezone: UTC}\nstorage: {path: file.db}\n")
        r = run([binary("teiten-sensor"), "-c", "s.yaml", "--read", NMAP, "--db", "flag.db",
                 "--id", "fromflag"], cwd=self.tmp.path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(self.tmp.file("file.db")))
        self.assertEqual(query(self.tmp.file("flag.db"), "SELECT DISTINCT sensor FROM rollup"),
                         [("fromflag",)])

    def test_bad_flag_values_and_flags_without_read_are_refused(self):
        for args in (["--read", NMAP, "--db", "x.db", "--id", "no spaces"],
                     ["--read", NMAP, "--db", "x.db", "--timezone", "Mars/Base"],
                     ["--read", NMAP, "--db", "x.db", "--observed", "10.1.2.3/8"],
                     ["--db", "x.db"]):
            r = run([binary("teiten-sensor")] + args, cwd=self.tmp.path)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
        self.assertFalse(os.path.exists(self.tmp.file("x.db")))


class DefaultConfigPath(unittest.TestCase):
    def test_help_and_units_name_the_same_default(self):
        for program, path in (("teiten-sensor", "/etc/teiten/sensor.yaml"),
                              ("teiten-collector", "/etc/teiten/collector.yaml")):
            r = run([binary(program), "--help"])
            self.assertEqual(r.returncode, 0)
            # CLI11 writes the default as TEXT=PATH (2.3) or TEXT [PATH] (2.4).
            self.assertRegex(r.stdout, r"-c,--config TEXT(=| \[)" + re.escape(path))
            with open(os.path.join(SOURCE, "systemd", program + ".service")) as f:
                self.assertIn(f"{program} -c {path}\n", f.read())
            if not os.path.exists(path):
                # Without -c the daemon reads the default and says which file it missed.
                r = run([binary(program), "-t"])
                self.assertEqual(r.returncode, 2)
                self.assertIn(path + ": cannot read the configuration", r.stderr)

    def test_read_without_db_or_config_says_what_it_needs(self):
        if os.path.exists("/etc/teiten/sensor.yaml"):
            self.skipTest("this machine has /etc/teiten/sensor.yaml")
        r = run([binary("teiten-sensor"), "--read", NMAP])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--read needs --db OUT.db or -c FILE", r.stderr)


class CheckWarnings(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, text, *extra):
        path = self.tmp.file("s.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path, run([binary("teiten-sensor"), "-c", path, "-t", *extra])

    def test_observing_everything_warns_with_the_position_and_exits_0(self):
        path, r = self.check("sensor: {id: s01}\ncapture:\n  interface: lo\n"
                             "  observed: [0.0.0.0/0, '::/0']\nstorage: {path: s.db}\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, "^" + re.escape(path) +
                         r":4:14: warning: capture\.observed\[0\]: 0\.0\.0\.0/0 covers the senders")
        self.assertRegex(r.stderr, re.escape(path) + r":4:25: warning: capture\.observed\[1\]: ::/0 ")
        self.assertIn(path + ": configuration OK", r.stdout)

    def test_live_observed_without_the_interface_address_warns(self):
        path, r = self.check("sensor: {id: s01}\ncapture:\n  interface: lo\n"
                             "  observed: [192.0.2.0/24]\nstorage: {path: s.db}\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stderr, re.escape(path) + r":4:3: warning: capture\.observed: none of "
                         r"lo's addresses \(.*127\.0\.0\.1.*\) is observed")
        # With --read the interface plays no part.
        _, r = self.check("sensor: {id: s01}\ncapture:\n  interface: lo\n"
                          "  observed: [192.0.2.0/24]\nstorage: {path: s.db}\n", "--read", NMAP)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_a_config_that_counts_is_quiet(self):
        _, r = self.check("sensor: {id: s01}\ncapture:\n  interface: lo\n"
                          "  observed: [127.0.0.1]\nstorage: {path: s.db}\n")
        self.assertEqual((r.returncode, r.stderr), (0, ""))


class Teitenctl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        pki = make_certs(cls.tmp.file("pki"), "s01")
        port = free_port()
        config = write_collector_config(cls.tmp.file("c.yaml"), port, pki, ["s01", "s02"],
                                        db=cls.tmp.file("c.db"), timezone="UTC")
        cls.socket = cls.tmp.file("collector-control.sock")
        cls.collector = start_collector(config, cls.tmp.file("collector.log"))
        with open(cls.tmp.file("s.yaml"), "w") as f:
            f.write(f"sensor: {{id: s01}}\nstorage: {{path: {cls.tmp.file('s.db')}}}\n" +
                    collector_section(port, pki, "s01"))
        r = run([binary("teiten-sensor"), "-c", cls.tmp.file("s.yaml"), "--read", SIP_2006])
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        cls.collector.stop()
        cls.tmp.cleanup()

    def ctl(self, *args, columns=None):
        env = dict(os.environ)
        env.pop("COLUMNS", None)
        if columns:
            env["COLUMNS"] = str(columns)
        return run([binary("teitenctl"), "-s", self.socket, *args], env=env)

    def test_list_commands_puts_the_name_first_and_wraps_the_help(self):
        r = self.ctl("list-commands", columns=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        header = lines.index("commands:") + 1
        self.assertRegex(lines[header], r"^  name +help$")
        self.assertRegex(lines[header + 1], r"^  config-reload +load the configuration")
        self.assertTrue(all(len(line) <= 60 for line in lines[header:]), r.stdout)
        # A continuation line starts in the help column.
        column = lines[header].index("help")
        self.assertTrue(any(line.startswith(" " * column) and line.strip()
                            for line in lines[header:]), r.stdout)
        whole = self.ctl("list-commands")  # a pipe without COLUMNS: one line per command
        self.assertEqual(len([l for l in whole.stdout.splitlines() if l.startswith("  ")]), 9)

    def test_sensors_shows_the_newest_packet_a_human_lag_and_marks_the_replay(self):
        r = self.ctl("sensors")
        self.assertEqual(r.returncode, 0, r.stderr)
        row = next(line for line in r.stdout.splitlines() if line.strip().startswith("s01"))
        self.assertRegex(row, r"\s20[01]\d-\d\d-\d\d \d\d:\d\d:\d\dZ\s")  # July 2005
        self.assertRegex(row, r"\s\d+y\s")
        self.assertRegex(row, r"\syes\s")
        raw = self.ctl("--json", "sensors")
        self.assertRegex(raw.stdout, r'"lag_s": \d{9}')  # JSON keeps the number

    def test_completion_offers_the_daemons_commands(self):
        words = f"teitenctl -s {self.socket} s"
        out = complete(words, "_teitenctl")
        self.assertIn("sensors", out)
        self.assertIn("status", out)
        self.assertIn("stats", out)
        self.assertNotIn("version", out)


def complete(words, function):
    """COMPREPLY of the bash completion `function` for the command line
    `words` (the cursor after its last word)."""
    path = ":".join(os.path.join(BUILD, "daemon", d)
                    for d in ("sensor", "collector", "ctl", "report", "synth"))
    script = (f"source {os.path.join(SOURCE, 'scripts', 'bash-completion', 'teiten')}\n"
              f"COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
              f"{function}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    r = run(["bash", "-c", script], env=dict(os.environ, PATH=path + ":" + os.environ["PATH"]))
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


class CompletionAndManPages(unittest.TestCase):
    def test_options_come_from_each_programs_help(self):
        self.assertEqual(complete("teiten-sensor --re", "_teiten"), ["--read"])
        self.assertIn("--observed", complete("teiten-sensor --", "_teiten"))
        self.assertIn("--month", complete("teiten-report --mo", "_teiten"))
        self.assertEqual(sorted(complete("teiten-synth bench", "_teiten")),
                         ["bench-small", "bench-telescope"])
        self.assertIn("--packets", complete("teiten-synth bench-small --", "_teiten"))
        self.assertIn("--collector", complete("teitenctl --co", "_teitenctl"))

    def test_cmake_install_puts_man_pages_and_completions_in_place(self):
        tmp = TempDir()
        try:
            r = run(["cmake", "--install", BUILD, "--prefix", "/usr"],
                    env=dict(os.environ, DESTDIR=tmp.path), timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            share = os.path.join(tmp.path, "usr", "share")
            for program, section in (("teiten-sensor", 8), ("teiten-collector", 8),
                                     ("teitenctl", 1), ("teiten-report", 1), ("teiten-synth", 1)):
                page = os.path.join(share, "man", f"man{section}", f"{program}.{section}")
                with open(page) as f:
                    text = f.read()
                self.assertIn(f'.TH {program.upper()} "{section}"', text)
                self.assertTrue(os.path.exists(
                    os.path.join(share, "bash-completion", "completions", program)), program)
            with open(os.path.join(share, "man", "man8", "teiten-sensor.8")) as f:
                text = f.read()
            for option in ("\\-\\-read", "\\-\\-db", "\\-\\-observed", "/etc/teiten/sensor.yaml"):
                self.assertIn(option, text)
            if shutil.which("man"):
                r = run(["man", "-l", os.path.join(share, "man", "man8", "teiten-sensor.8")],
                        env=dict(os.environ, MANPAGER="cat", MANWIDTH="100"))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("--read", r.stdout)
        finally:
            tmp.cleanup()


if __name__ == "__main__":
    run_tests(require=("bash", "help2man"))
