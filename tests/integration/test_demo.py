"""scripts/demo, reduced: the small profile (nine sensors, every link type,
two months) through the same script as the README's demo, with the binaries
of this build. Its report.json must equal the generator's
expected-report.json (compared here again, apart from the script's own
check), its pages must draw every figure in Chromium (screenshots in
BUILD/test-artifacts/demo), its output must carry the page's first
paragraph and the report's path, and nothing it started may outlive it.
The check it relies on must be able to fail; --live without root must say
so."""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

import harness
from harness import TempDir

sys.path.insert(0, os.path.join(harness.SOURCE, "tests", "demo"))
sys.path.insert(0, os.path.join(harness.SOURCE, "tests", "report"))
from browser import Browser  # noqa: E402
from demo_check import first_paragraph  # noqa: E402
from report_diff import demo_reports, differences  # noqa: E402

DEMO = os.path.join(harness.SOURCE, "scripts", "demo")
CHECK = os.path.join(harness.SOURCE, "tests", "demo", "demo_check.py")
SMALL = os.path.join(harness.SOURCE, "config", "synth", "small.yaml")
ARTIFACTS = os.path.join(harness.BUILD, "test-artifacts", "demo")


def run_demo(out, *args, **kw):
    return subprocess.run([DEMO, "--build", harness.BUILD, "--out", out, *args],
                          capture_output=True, text=True, timeout=600, **kw)


class DemoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir("teiten-demo-")
        cls.out = cls.tmp.file("out")
        cls.result = run_demo(cls.out, "--profile", SMALL)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def file(self, *parts):
        return os.path.join(self.out, *parts)

    def test_the_small_demo_ends_with_the_expected_report(self):
        r = self.result
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        truth, got = demo_reports(self.out, "2010-07")
        self.assertEqual(differences(truth, got), [])
        self.assertEqual(got["totals"]["accesses"], 9871)  # the small profile's July target
        self.assertEqual(got["totals"]["sources"], 4219)
        for page in ("report.html", "report.en.html"):
            self.assertTrue(os.path.exists(self.file("report", page)), page)

    def test_it_prints_the_headline_and_where_the_report_is(self):
        out = self.result.stdout
        ja = first_paragraph(self.file("report", "report.html"))
        en = first_paragraph(self.file("report", "report.en.html"))
        self.assertIn("4,219", ja)
        self.assertIn("9,871", en)
        self.assertIn(ja, out)
        self.assertIn(en, out)
        self.assertIn(f"report: {os.path.realpath(self.out)}/report/report.html", out)
        self.assertRegex(out, r"rollup: the collector's [\d,]+ rows equal teiten-synth's truth")
        self.assertRegex(out, r"report: report.json equals the generator's expected-report.json")
        self.assertRegex(out, r"demo took \d+m\d\ds")

    def test_the_pages_draw_every_figure_in_a_browser(self):
        browser = Browser()
        try:
            os.makedirs(ARTIFACTS, exist_ok=True)
            for page in ("report.html", "report.en.html"):
                browser.open("file://" + self.file("report", page))
                broken = browser.evaluate(
                    "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                    ".map(i => i.getAttribute('src'))")
                self.assertEqual(broken, [], f"{page}: figures that did not load")
                self.assertGreater(browser.evaluate("document.images.length"), 10, page)
                self.assertGreater(browser.evaluate("document.querySelectorAll('table').length"),
                                   3, page)
                self.assertEqual(browser.problems(), [], f"{page}: console or load problems")
                browser.screenshot(os.path.join(ARTIFACTS, page.replace(".html", ".png")))
        finally:
            browser.close()

    def test_nothing_it_started_is_left_running(self):
        run = self.file("run")
        self.assertEqual(sorted(os.listdir(run)), [])
        # Every daemon wrote its last words: they were stopped, not killed.
        with open(self.file("collector.log")) as f:
            self.assertIn("signal name=SIGTERM", f.read())

    def test_the_check_fails_on_one_changed_number_or_one_row_more_in_the_truth(self):
        work = self.tmp.file("tampered")
        traffic = os.path.join(work, "traffic")
        shutil.copytree(self.file("traffic"), traffic, ignore=shutil.ignore_patterns("*.pcap"))
        shutil.copytree(self.file("report"), os.path.join(work, "report"))
        args = [sys.executable, CHECK, "check", traffic, self.file("collector.db"),
                os.path.join(work, "report")]
        ok = subprocess.run(args, capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        path = os.path.join(work, "report", "report.json")
        with open(path) as f:
            report = json.load(f)
        report["daily"][9]["sources"] += 1
        with open(path, "w") as f:
            json.dump(report, f)
        bad = subprocess.run(args, capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn(".daily[9].sources", bad.stdout)
        shutil.copy(self.file("report", "report.json"), path)
        with open(os.path.join(traffic, "2010-07", "a9.truth.csv"), "a") as f:
            f.write("2010-07-31,tcp,445,192.0.2.200,probe,1,1280588000,1280588000\n")
        lost = subprocess.run(args, capture_output=True, text=True)
        self.assertEqual(lost.returncode, 1, lost.stdout)
        self.assertRegex(lost.stdout, r"rollup: MISMATCH: .* 1 missing, 0 not in the truth")

    def test_a_directory_it_did_not_make_is_refused(self):
        foreign = self.tmp.file("foreign")
        os.makedirs(foreign)
        with open(os.path.join(foreign, "keep.txt"), "w") as f:
            f.write("mine\n")
        r = run_demo(foreign, "--profile", SMALL)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("is not a demo's output", r.stderr)
        self.assertTrue(os.path.exists(os.path.join(foreign, "keep.txt")))

    def test_live_without_root_says_it_needs_root(self):
        out = self.tmp.file("live")
        if os.geteuid() == 0:
            # As nobody: the script's own check, before it touches anything.
            args = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", DEMO, "--live",
                    "--build", harness.BUILD, "--out", out]
        else:
            args = [DEMO, "--live", "--build", harness.BUILD, "--out", out]
        r = subprocess.run(args, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertTrue(re.search(r"--live needs root", r.stderr), r.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    # Without a tool only an unprivileged run may skip; as root (CI) the demo fails.
    harness.run_tests(require=("sqlite3", "gnuplot", "chromium") if os.geteuid() != 0 else ())
