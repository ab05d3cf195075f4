#!/usr/bin/env python3
"""Writes the seed inputs (and a libFuzzer dictionary) of one fuzz target,
drawn from the repository's own test data, so fuzzing starts from inputs
that reach deep into the parser:

  make_seeds.py TARGET OUT_DIR DICT_FILE [BUILD_DIR]

packet          every frame of the classic pcap files in tests/data, in the
                fuzz_packet input layout (link type index, flags, time, bytes)
capture_file    the capture files of tests/data (cut to 16 KiB when larger)
pcapng          the pcapng files of tests/data and tests/data/generated (cut likewise)
sensor_config   config/sensor.yaml, the many-errors file, small variations
collector_config likewise for the collector
wire            valid frames and bodies, from BUILD_DIR's wire_seeds
ctl_request     request lines from docs/control-protocol.md's examples
tls_files       a CA, certificate and key made by scripts/make-certs, as PEM
                and as DER (the layout of fuzz_tls_files.cpp)

Python 3 standard library only. Called by scripts/fuzz.
"""
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tests", "data")
# fuzz_packet.cpp's kLinkTypes, in order.
LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147]
MAX_SEED = 16384


def write(out, content):
    name = hashlib.sha1(content).hexdigest()[:16]
    with open(os.path.join(out, name), "wb") as f:
        f.write(content)


def captures(extensions=(".pcap", ".pcapng")):
    return sorted(os.path.join(DATA, n) for n in os.listdir(DATA) if n.endswith(extensions))


def pcap_records(path):
    """(link type, seconds, frame) of a classic pcap file; nothing for others."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    for order in ("<", ">"):
        magic, = struct.unpack(order + "I", data[:4])
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            break
    else:
        return
    link = struct.unpack(order + "I", data[20:24])[0] & 0x0FFFFFFF
    at = 24
    while at + 16 <= len(data):
        sec, _, caplen, _ = struct.unpack(order + "IIII", data[at:at + 16])
        frame = data[at + 16:at + 16 + caplen]
        if caplen > 262144 or len(frame) < caplen:
            return
        yield link, sec, frame
        at += 16 + caplen


def packet_seeds(out):
    seen = 0
    for path in captures((".pcap",)):
        for link, sec, frame in pcap_records(path):
            if link not in LINK_TYPES:
                continue
            header = bytes([LINK_TYPES.index(link), 0]) + struct.pack("<q", sec)
            write(out, header + frame[:MAX_SEED])
            seen += 1
            if seen > 2000:
                return


def capture_file_seeds(out):
    for path in captures():
        with open(path, "rb") as f:
            write(out, f.read()[:MAX_SEED])


def pcapng_seeds(out):
    paths = captures((".pcapng",))
    generated = os.path.join(DATA, "generated")
    paths += sorted(os.path.join(generated, n) for n in os.listdir(generated) if n.endswith(".pcapng"))
    for path in paths:
        with open(path, "rb") as f:
            write(out, f.read()[:MAX_SEED])


def config_seeds(out, daemon):
    paths = [os.path.join(ROOT, "config", f"{daemon}.yaml"),
             os.path.join(ROOT, "tests", "config", "data", f"{daemon}_many_errors.yaml")]
    for path in paths:
        with open(path, "rb") as f:
            text = f.read()
        write(out, text)
        # The example without its comments: the keys close together.
        bare = b"\n".join(l for l in text.split(b"\n") if l.strip() and not l.lstrip().startswith(b"#"))
        write(out, bare + b"\n")
    if daemon == "sensor":
        write(out, b"sensor: {id: s01, timezone: Asia/Tokyo}\ncapture: {interface: eth0, "
                   b"observed: [192.0.2.10, 198.51.100.0/24], ignore_sources: [10.0.0.0/8]}\n"
                   b"storage: {path: sensor.db, flush_interval: 60s, retention: 400d}\n")
    else:
        write(out, b"listen: {address: \"0.0.0.0:7450\", ca: ca.pem, cert: c.pem, key: c.key}\n"
                   b"sensors: [s01, s02]\nstorage: {path: collector.db}\n")


def config_dictionary(daemon):
    with open(os.path.join(ROOT, "config", f"{daemon}.yaml")) as f:
        text = f.read()
    words = set(re.findall(r"^\s*#?\s*([a-z_]+):", text, re.M))
    words |= {"true", "false", "null", "1s", "500ms", "5m", "1h", "1d", "64KiB", "2GiB",
              "Asia/Tokyo", "UTC", "::1", "192.0.2.0/24", "2001:db8::/32", "[", "]", "{", "}",
              "- ", ": ", "&a ", "*a", "!!str ", "---", "...", "|", ">", "'", "\""}
    return sorted(words)


def wire_seeds(out, build):
    subprocess.run([os.path.join(build, "tests", "fuzz", "wire_seeds"), out], check=True)


def ctl_seeds(out):
    lines = [b'{"command": "list-commands"}', b'{"command": "status", "arguments": {}}',
             b'{"command": "echo", "arguments": {"limit": 20, "a": [1, 2.5, "x", null, true]}}',
             b'{"command": "top", "arguments": {"limit": "20"}}', b'{"command": ""}',
             b'[1, 2]', b'{"command": "echo", "arguments": {"nested": {"deep": [[[[]]]]}}}']
    for line in lines:
        write(out, line + b"\n")
    write(out, b"\n".join(lines) + b"\n")
    write(out, b'\r\n  \n{"command": "echo"}\r\n{"command": "echo", "arguments": {"u": "\\u00e9"}}')


def tls_seeds(out):
    with tempfile.TemporaryDirectory() as pki:
        subprocess.run([os.path.join(ROOT, "scripts", "make-certs"), pki, "s01", "s02"],
                       check=True, capture_output=True)

        def read(name):
            with open(os.path.join(pki, name), "rb") as f:
                return f.read()

        def der(name, kind):
            args = ["openssl", kind, "-in", os.path.join(pki, name), "-outform", "DER"]
            return subprocess.run(args, check=True, capture_output=True).stdout

        write(out, read("ca.pem") + b"\0" + read("s01.pem") + b"\0" + read("s01.key"))
        write(out, read("ca.pem") + b"\0" + read("s02.pem") + b"\0" + read("s01.key"))
        write(out, read("ca.pem") + b"\0" + read("s01.pem") + read("ca.pem") + b"\0" + read("s01.key"))
        write(out, der("ca.pem", "x509") + b"\0" + der("s01.pem", "x509") + b"\0" +
              der("s01.key", "pkey"))
        write(out, der("ca.pem", "x509") + b"\0" + der("collector.pem", "x509") + b"\0" +
              der("collector.key", "pkey"))


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    target, out, dictionary = sys.argv[1:4]
    build = sys.argv[4] if len(sys.argv) == 5 else os.path.join(ROOT, "build-fuzz")
    os.makedirs(out, exist_ok=True)
    words = []
    if target == "packet":
        packet_seeds(out)
    elif target == "capture_file":
        capture_file_seeds(out)
    elif target == "pcapng":
        pcapng_seeds(out)
    elif target in ("sensor_config", "collector_config"):
        daemon = target.split("_")[0]
        config_seeds(out, daemon)
        words = config_dictionary(daemon)
    elif target == "wire":
        wire_seeds(out, build)
    elif target == "ctl_request":
        ctl_seeds(out)
        words = ['"command"', '"arguments"', '"echo"', '"list-commands"', "{", "}", "[", "]",
                 ":", ",", "true", "false", "null", "\\u0000", "\\ud800", "1e400", "-0", "\n"]
    elif target == "tls_files":
        tls_seeds(out)
        words = ["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----",
                 "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
                 "-----BEGIN ENCRYPTED PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
                 "Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC,"]
    else:
        sys.exit(f"make_seeds.py: unknown target {target}")
    with open(dictionary, "w") as f:
        for w in words:
            escaped = w.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\x0A")
            f.write(f'"{escaped}"\n')


if __name__ == "__main__":
    main()
