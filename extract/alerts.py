"""Data-quality alerts to maintainers, by email over SMTP.

Configured by environment (nothing is sent when YUSUAN_ALERT_TO is unset):
YUSUAN_ALERT_TO (comma-separated), YUSUAN_ALERT_FROM, YUSUAN_SMTP_HOST [127.0.0.1],
YUSUAN_SMTP_PORT [25], YUSUAN_SMTP_USER / YUSUAN_SMTP_PASSWORD (login when set),
YUSUAN_SMTP_STARTTLS (1 to upgrade the connection).
"""

from __future__ import annotations

import logging
import os
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    recipients: tuple[str, ...]
    sender: str = "yusuan@localhost"
    host: str = "127.0.0.1"
    port: int = 25
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        to = [a.strip() for a in os.environ.get("YUSUAN_ALERT_TO", "").split(",") if a.strip()]
        if not to:
            return None
        return cls(
            recipients=tuple(to),
            sender=os.environ.get("YUSUAN_ALERT_FROM", cls.sender),
            host=os.environ.get("YUSUAN_SMTP_HOST", cls.host),
            port=int(os.environ.get("YUSUAN_SMTP_PORT", cls.port)),
            user=os.environ.get("YUSUAN_SMTP_USER"),
            password=os.environ.get("YUSUAN_SMTP_PASSWORD"),
            starttls=os.environ.get("YUSUAN_SMTP_STARTTLS") == "1",
        )


def quarantine_message(run_id: str, docs: Iterable[dict[str, Any]]) -> tuple[str, str] | None:
    """Subject and body naming each quarantined document, page, table and check."""
    bad = [d for d in docs if d.get("status") == "quarantined"]
    if not bad:
        return None
    lines = [f"Run {run_id}: {len(bad)} document(s) quarantined; the others went on.", ""]
    for doc in bad:
        lines.append(f"{doc.get('file_name')} ({doc.get('source_uri')})")
        lines.append(f"  reason: {doc.get('reason')}")
        blocking = [f for f in doc.get("findings", []) if f.get("severity") == "block"]
        for finding in blocking[:10]:
            lines.append(
                f"  - page {finding.get('page_number')}, table {finding.get('table_title')!r},"
                f" check {finding.get('check')}: {finding.get('detail')}"
            )
        if not blocking:
            lines.append(f"  - {doc.get('detail')}")
        lines.append("")
    return f"[yusuan] {len(bad)} document(s) quarantined in {run_id}", "\n".join(lines)


def send(subject: str, body: str, settings: SmtpSettings | None = None) -> bool:
    """Send one alert; False (and a log line) when alerts are not configured."""
    settings = settings or SmtpSettings.from_env()
    if settings is None:
        log.info("alert not sent (YUSUAN_ALERT_TO unset): %s", subject)
        return False
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:  # a mail outage must not fail the run
        log.error("alert not sent (%s): %s", exc, subject)
        return False
    return True
