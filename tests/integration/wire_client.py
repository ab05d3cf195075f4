"""A minimal client of teiten's wire protocol (docs/wire-protocol.md) for
tests that must send what a correct sensor never would: garbage, oversized
frames, a batch for another sensor, an exact resend. Independent of the
C++ encoder on purpose."""
import socket
import ssl
import struct

HELLO, WELCOME, REFUSE, BATCH, ACK, ERROR = 1, 2, 3, 4, 5, 6
PROTO = {"tcp": 1, "udp": 2, "icmp": 3, "icmpv6": 4, "ip": 5}
KIND = {"probe": 1, "backscatter": 2, "other": 3}


def string(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def frame(msg_type, payload, version=1):
    return struct.pack(">IBB", len(payload) + 2, version, msg_type) + payload


def hello(sensor, timezone, database_id, software="wire_client"):
    return frame(HELLO, string(sensor) + string(timezone) + string(database_id) + string(software))


def batch_body(rows):
    """rows: (day_number, proto, port, kind, ipv4_text, accesses, first, last)."""
    out = struct.pack(">I", len(rows))
    for day, proto, port, kind, src, accesses, first, last in rows:
        out += struct.pack(">iBHBB", day, PROTO[proto], port, KIND[kind], 4)
        out += socket.inet_aton(src)
        out += struct.pack(">Qqq", accesses, first, last)
    return out + struct.pack(">I", 0)


def batch(sensor, database_id, seq, body):
    return frame(BATCH, string(sensor) + string(database_id) + struct.pack(">Q", seq) + body)


class Client:
    def __init__(self, port, pki, cert_name, host="localhost", timeout=10.0, cert_pki=None,
                 source="127.0.0.1"):
        """cert_pki: where the client certificate comes from (default: pki);
        source: the loopback address to connect from."""
        cert_pki = cert_pki or pki
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(f"{pki}/ca.pem")
        ctx.load_cert_chain(f"{cert_pki}/{cert_name}.pem", f"{cert_pki}/{cert_name}.key")
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                       source_address=(source, 0))
        self.sock = ctx.wrap_socket(raw, server_hostname=host)

    def send(self, data):
        self.sock.sendall(data)

    def read_frame(self):
        """(type, payload), or None when the collector closed the connection."""
        header = self._read(6)
        if header is None:
            return None
        length, _version, msg_type = struct.unpack(">IBB", header)
        payload = self._read(length - 2)
        return None if payload is None else (msg_type, payload)

    def _read(self, n):
        data = b""
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except (ConnectionResetError, ssl.SSLError, OSError):
                return None
            if not chunk:
                return None
            data += chunk
        return data

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def refuse_reason(payload):
    code, n = struct.unpack(">HH", payload[:4])
    return code, payload[4:4 + n].decode()


def welcome_last_seq(payload):
    return struct.unpack(">Q", payload[:8])[0]


def ack_seq(payload):
    return struct.unpack(">Q", payload[:8])[0]
