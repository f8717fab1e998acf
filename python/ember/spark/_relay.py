"""Live training log from rank 0 to the driver: the driver listens, rank 0 connects, proves it knows the
job secret (HMAC-SHA256 over a fresh nonce), and streams its log lines, which the driver prints as they come.
Best effort: when rank 0 cannot reach the driver, the log still arrives with the result."""

import hashlib
import hmac
import os
import socket
import threading

_LABEL = b"ember-log-relay-v1"


def _proof(secret, nonce):
    return hmac.new(secret, _LABEL + nonce, hashlib.sha256).digest()


def _recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


class LogRelay:
    """The driver's end: ``address`` goes to the tasks; lines go to ``stream`` until close()."""

    def __init__(self, host, secret, stream):
        self.secret, self.stream = secret, stream
        self.lines = 0
        self._server = socket.create_server((host, 0))
        self._server.settimeout(0.5)
        self.address = (host, self._server.getsockname()[1])
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="ember-log-relay", daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._closed.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            with conn:
                try:
                    conn.settimeout(10)
                    nonce = os.urandom(32)
                    conn.sendall(nonce)
                    if not hmac.compare_digest(_recv_exactly(conn, 32), _proof(self.secret, nonce)):
                        continue  # not rank 0 of this job: ignore it
                    conn.settimeout(0.5)
                    pending = b""
                    while True:
                        try:
                            chunk = conn.recv(65536)
                        except socket.timeout:
                            if self._closed.is_set():  # nothing more came: the job is over
                                break
                            continue
                        if not chunk:
                            break
                        pending += chunk
                        *lines, pending = pending.split(b"\n")
                        for line in lines:
                            self.lines += 1
                            if self.stream is not None:
                                self.stream.write(line.decode("utf-8", "replace") + "\n")
                                self.stream.flush()
                except OSError:
                    continue

    def close(self):
        """Stops after printing what has arrived (the connection is drained until it is idle)."""
        self._closed.set()
        self._thread.join(10)
        self._server.close()


class RelayStream:
    """Rank 0's end: a file-like object writing to the driver's relay; silently off when it cannot."""

    def __init__(self, address, secret, timeout=5.0):
        self._sock = None
        try:
            sock = socket.create_connection(tuple(address), timeout=timeout)
            nonce = _recv_exactly(sock, 32)
            sock.sendall(_proof(secret, nonce))
            self._sock = sock
        except OSError:
            self._sock = None

    def write(self, text):
        if self._sock is not None:
            try:
                self._sock.sendall(text.encode("utf-8"))
            except OSError:
                self.close()

    def flush(self):
        pass

    def close(self):
        if self._sock is not None:
            self._sock.close()
            self._sock = None
