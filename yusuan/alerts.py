"""Data-quality alerts to maintainers: email over SMTP and a chat webhook (Slack format).

Callers build one alert (a subject and a body naming document, page, table and check) and
`send` delivers it on every configured channel. The channels are independent: either may be
set, or both; one that fails is logged and never stops the other, nor the run.

Both are configured by the environment (yusuan.settings.Alerting, README's settings
table): email is not sent when YUSUAN_ALERT_TO is unset, nor a chat message without
YUSUAN_ALERT_WEBHOOK. The webhook is a URL that takes Slack's incoming-webhook
JSON ({"text": ...}); connection errors, 429 and 5xx answers are retried a few times. The
URL is a secret (Slack's carries a token), so logs name its host only.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx

from extract.verdicts import Status
from yusuan.http_retry import transient
from yusuan.settings import Alerting

log = logging.getLogger(__name__)

WEBHOOK_BODY_LIMIT = 3000  # characters of (escaped) body per chat message; Slack advises < 4,000


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
    def from_env(cls, environment: Alerting | None = None) -> SmtpSettings | None:
        """The mail channel the environment configures; None without recipients."""
        env = environment or Alerting()
        if not env.alert_to:
            return None
        password = env.smtp_password
        return cls(
            recipients=env.alert_to,
            sender=env.alert_from,
            host=env.smtp_host,
            port=env.smtp_port,
            user=env.smtp_user,
            password=password.get_secret_value() if password else None,
            starttls=env.smtp_starttls,
        )


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    attempts: int = 4  # tries in all, for connection errors, 429 and 5xx
    timeout: float = 10.0  # seconds per try (connecting: 5)

    @classmethod
    def from_env(cls, environment: Alerting | None = None) -> WebhookSettings | None:
        """The chat channel the environment configures; None without a webhook."""
        hook = (environment or Alerting()).alert_webhook
        url = hook.get_secret_value().strip() if hook else ""
        return cls(url) if url else None

    @property
    def host(self) -> str:
        """Where alerts go, for logs: the URL without its path (which may hold a token)."""
        return urlsplit(self.url).netloc or "(no host)"


def quarantine_message(run_id: str, docs: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """Subject and body naming each quarantined document and each table held back of a
    partial one: page, table, check and numbers."""
    bad = [d for d in docs if d.get("status") in (Status.QUARANTINED, Status.PARTIAL)]
    if not bad:
        return None
    quarantined = sum(d.get("status") == Status.QUARANTINED for d in bad)
    partial = len(bad) - quarantined
    lines = [
        f"Run {run_id}: {quarantined} document(s) quarantined, {partial} loaded without the "
        "tables held back; the others went on.",
        "",
    ]
    for doc in bad:
        lines.append(f"{doc.get('file_name')} ({doc.get('source_uri')})")
        lines.append(f"  {doc.get('status')}: {doc.get('reason')}")
        for table in doc.get("held") or []:
            lines.append(
                f"  held: page {table.get('page_number')}, table {table.get('table_title')!r}"
                f" ({table.get('reason')})"
            )
        blocking = [f for f in doc.get("findings", []) if f.get("severity") == "block"]
        for finding in blocking[:10]:
            lines.append(
                f"  - page {finding.get('page_number')}, table {finding.get('table_title')!r},"
                f" check {finding.get('check')}: {finding.get('detail')}"
            )
        if not blocking:
            lines.append(f"  - {doc.get('detail')}")
        lines.append("")
    counts = [f"{quarantined} document(s) quarantined"] if quarantined else []
    counts += [f"{partial} loaded in part"] if partial else []
    return f"[yusuan] {', '.join(counts)} in {run_id}", "\n".join(lines)


def send(
    subject: str,
    body: str,
    settings: SmtpSettings | None = None,
    webhook: WebhookSettings | None = None,
) -> bool:
    """Send one alert on every configured channel; True when at least one delivered it.

    Channels not given are the environment's. Failures are logged, never raised.
    """
    smtp = settings or SmtpSettings.from_env()
    hook = webhook or WebhookSettings.from_env()
    if smtp is None and hook is None:
        log.info("alert not sent (YUSUAN_ALERT_TO and YUSUAN_ALERT_WEBHOOK unset): %s", subject)
        return False
    delivered = []
    if smtp is not None:
        delivered.append(send_email(subject, body, smtp))
    if hook is not None:
        delivered.append(post_webhook(subject, body, hook))
    return any(delivered)


def send_email(subject: str, body: str, settings: SmtpSettings) -> bool:
    """Mail one alert; False (and a log line) when the mail server fails."""
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
        log.error("alert not mailed (%s): %s", exc, subject)
        return False
    return True


def post_webhook(subject: str, body: str, settings: WebhookSettings) -> bool:
    """POST one alert as Slack's {"text": ...}; False (and a log line) when it fails."""
    try:
        _post_with_retries(settings, {"text": webhook_text(subject, body)})
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a chat outage must not fail the run
        log.error("alert not posted to %s (%s): %s", settings.host, _describe(exc), subject)
        return False
    log.info("alert posted to %s: %s", settings.host, subject)
    return True


def webhook_text(subject: str, body: str) -> str:
    """The alert as one chat message: the subject in bold, the body verbatim in a code block.

    A long body is cut at a line break; the email and audit.findings keep all of it.
    """
    body = _slack_escape(body.strip("\n"))
    if len(body) > WEBHOOK_BODY_LIMIT:
        kept = body[:WEBHOOK_BODY_LIMIT].rsplit("\n", 1)[0]
        cut = body[len(kept) :].strip("\n").count("\n") + 1
        body = f"{kept}\n… {cut} more line(s); the email and audit.findings have them all"
    return f"*{_slack_escape(subject)}*\n```\n{body}\n```"


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup; its documented escapes keep them literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _post_with_retries(settings: WebhookSettings, payload: dict[str, str]) -> None:
    """POST JSON, retrying transient failures (connection errors, 429, 5xx); raise on failure."""
    from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

    @retry(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(settings.attempts),
        wait=wait_exponential(multiplier=0.2, max=2),
        reraise=True,
    )
    def post() -> None:
        timeout = httpx.Timeout(settings.timeout, connect=min(5.0, settings.timeout))
        httpx.post(settings.url, json=payload, timeout=timeout).raise_for_status()

    post()


def _describe(exc: Exception) -> str:
    """An error without the URL httpx puts in its status errors (the URL may hold a token)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return f"{type(exc).__name__}: {exc}"
