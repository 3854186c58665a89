"""Real servers for the notification tests: an SMTP server process (aiosmtpd, messages into a Maildir) and a
small HTTP/1.1 webhook receiver on asyncio.start_server that checks every signature itself."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import hashlib
import hmac
import mailbox
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import orjson


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """``python -m aiosmtpd`` in its own process with the Mailbox handler: every message lands in a Maildir."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{self.port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(self.maildir),
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"aiosmtpd exited: {self.proc.stderr.read() if self.proc.stderr else b''!r}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                if s.recv(3) == b"220":
                    return
            time.sleep(0.05)
        raise RuntimeError("aiosmtpd did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        out: list[EmailMessage] = []
        box = mailbox.Maildir(str(self.maildir), create=True)
        for key in box.iterkeys():
            raw = box.get_bytes(key)
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            if to is None or to in str(msg["To"]):
                out.append(msg)
        return out


@contextlib.contextmanager
def smtp_server(tmp: Path) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp / "maildir")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    status: int

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class WebhookReceiver:
    """HTTP/1.1 on a free port. Answers 500 to the first ``fail_first`` requests (every request when
    ``always_fail``), sleeps ``delay_s`` before answering, then 200. Verifies X-MIP-Signature independently:
    HMAC-SHA256(secret, "<X-MIP-Timestamp>.<raw body>")."""

    secret: str
    fail_first: int = 0
    always_fail: bool = False
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def verify(self, headers: dict[str, str], body: bytes) -> bool:
        ts = headers.get("x-mip-timestamp", "")
        sig = headers.get("x-mip-signature", "")
        expected = "sha256=" + hmac.new(self.secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = ts.isdigit() and abs(time.time() - int(ts)) <= 300
        return fresh and hmac.compare_digest(expected, sig)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await reader.readline()).decode()
            if not request_line:
                return
            _, path, _ = request_line.split(" ", 2)
            headers: dict[str, str] = {}
            while True:
                line = (await reader.readline()).decode()
                if line in ("\r\n", "\n", ""):
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            failing = self.always_fail or len(self.received) < self.fail_first
            status = 500 if failing else 200
            self.received.append(Received(path, headers, body, self.verify(headers, body), status))
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            text = b"receiver says no" if failing else b"ok"
            reason = b"Internal Server Error" if failing else b"OK"
            writer.write(
                b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                % (status, reason, len(text), text)
            )
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def deliveries(self) -> set[str]:
        return {r.headers["x-mip-delivery"] for r in self.received}
