"""Where a report.json differs from the expected-report.json teiten-synth
wrote for its month (docs/synth.md): every key of the truth must be in the
report with the same value; floats agree to 1e-9 relative. The report's
`database`, `geo` and `parameters` describe the environment, not the
traffic, and are not in the truth. Used by scripts/demo's check and by the
integration tests. Python standard library only."""
import copy
import json
import math
import os

ENVIRONMENT_KEYS = ("database", "geo", "parameters")


def differences(expected, got, path=""):
    """A list of readable differences, empty when the report is the truth."""
    if isinstance(expected, dict) and isinstance(got, dict):
        out = []
        for k in expected:
            out += (differences(expected[k], got[k], f"{path}.{k}") if k in got
                    else [f"{path}.{k}: missing from the report"])
        out += [f"{path}.{k}: not in the truth" for k in got
                if k not in expected and not (path == "" and k in ENVIRONMENT_KEYS)]
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{path}: {len(expected)} items expected, {len(got)} in the report"]
        return [d for i, (a, b) in enumerate(zip(expected, got))
                for d in differences(a, b, f"{path}[{i}]")]
    if isinstance(expected, float) or isinstance(got, float):
        if expected is None or got is None or not math.isclose(expected, got, rel_tol=1e-9,
                                                                abs_tol=1e-12):
            return [f"{path}: expected {expected}, report {got}"]
        return []
    return [] if expected == got else [f"{path}: expected {expected!r}, report {got!r}"]


def demo_reports(out, month):
    """(expected-report.json, report.json) of a scripts/demo run in OUT."""
    with open(os.path.join(out, "traffic", month, "expected-report.json")) as f:
        truth = json.load(f)
    with open(os.path.join(out, "report", "report.json")) as f:
        return truth, json.load(f)


def values(document):
    """How many numbers and strings a document holds (what a check compared)."""
    if isinstance(document, dict):
        return sum(values(v) for v in document.values())
    if isinstance(document, list):
        return sum(values(v) for v in document)
    return 1


def live_truth(expected):
    """The truth as a live capture of the same frames must show it. The truth
    assumes `teiten-sensor --read`; live, two things differ by nature and
    nothing else may:
    - drops are measured (kernel and interface drops 0 where --read has
      nothing to measure, null); the caller checks that they are 0;
    - a frame the capture file holds cut short by its snaplen goes onto the
      wire as the shorter frame it is, so its IP length exceeds the frame
      (`ip_length_exceeds_frame`) instead of `snaplen`."""
    truth = copy.deepcopy(expected)
    for q in truth.get("quality", []):
        q["kernel_drops"] = q["if_drops"] = 0
        reasons = q.get("malformed_by_reason", {})
        cut = reasons.pop("snaplen", 0)
        if cut:
            reasons["ip_length_exceeds_frame"] = reasons.get("ip_length_exceeds_frame", 0) + cut
            q["malformed_by_reason"] = dict(sorted(reasons.items()))
    return truth
