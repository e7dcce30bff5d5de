"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps the alerts it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def env(self) -> dict[str, str]:
        """The environment that sends yusuan's alerts here (yusuan.alerts)."""
        return {
            "YUSUAN_ALERT_TO": "maintainer@example.org",
            "YUSUAN_SMTP_HOST": "127.0.0.1",
            "YUSUAN_SMTP_PORT": str(self.port),
        }

    def bodies(self) -> list[str]:
        return [str(m.get_payload(decode=True), "utf-8") for m in self.messages]


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    with socket.socket() as probe:  # a free port (aiosmtpd cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox(port)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
