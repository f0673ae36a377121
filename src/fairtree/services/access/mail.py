"""Outgoing mail behind one small interface, so deployments plug in their own sender.

The default writes each message as an ``.eml`` file into a local outbox folder
(``Settings.outbox_dir``): nothing leaves the machine until an operator wires a real
backend, and tests can read exactly what would have been sent.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from fairtree.services.clock import utcnow

SENDER = "fairtree <no-reply@localhost>"


class MailBackend(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = utcnow().strftime("%a, %d %b %Y %H:%M:%S +0000")
    message.set_content(body)
    return message


@dataclass
class OutboxMailBackend:
    """Writes ``<timestamp>-<random>.eml`` files into ``folder``."""

    folder: Path

    def send(self, to: str, subject: str, body: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow().strftime('%Y%m%dT%H%M%S%f')}-{secrets.token_hex(4)}.eml"
        (self.folder / name).write_bytes(bytes(_message(to, subject, body)))


@dataclass
class MemoryMailBackend:
    """Keeps messages in a list (tests, previews)."""

    sent: list[EmailMessage] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append(_message(to, subject, body))
