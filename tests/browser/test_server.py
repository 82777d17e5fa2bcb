"""The test server: quiet when the browser hangs up, loud on anything else."""

from __future__ import annotations

import contextlib
import io
import socket
import struct
import time
from pathlib import Path

import site_checks


def test_a_client_hanging_up_mid_download_prints_nothing(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(b"x" * 20_000_000)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), site_checks.serve(tmp_path) as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(b"GET /big.bin HTTP/1.0\r\n\r\n")
                assert client.recv(64).startswith(b"HTTP/1.0 200")
                # Close with a reset, as a browser cancelling a download does.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.5)
    assert err.getvalue() == ""


def test_any_other_error_is_still_printed() -> None:
    server = site_checks._Server(("127.0.0.1", 0), site_checks._QuietHandler)
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            try:
                raise ValueError("a broken handler")
            except ValueError:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    assert "ValueError: a broken handler" in err.getvalue()
