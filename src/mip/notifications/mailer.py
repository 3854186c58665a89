"""E-mail over SMTP (stdlib smtplib, run in a worker thread) and the alarm message text."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

KIND_WORDS = {
    "opened": "opened",
    "updated": "updated",
    "acknowledged": "acknowledged",
    "resolved": "resolved",
    "assigned": "assigned",
    "commented": "commented on",
    "cleared": "cleared",
    "escalated": "escalated",
}


class SmtpConfig(BaseModel):
    """Where e-mail goes. Meant to be filled from settings: MIP_SMTP_HOST, MIP_SMTP_PORT, MIP_SMTP_FROM,
    MIP_SMTP_USERNAME, MIP_SMTP_PASSWORD, MIP_SMTP_STARTTLS, MIP_SMTP_SSL, MIP_SMTP_TIMEOUT_S."""

    model_config = ConfigDict(frozen=True)

    host: str
    port: int = Field(default=25, ge=1, le=65535)
    from_addr: str = "mip@localhost"
    username: str | None = None
    password: SecretStr = SecretStr("")
    starttls: bool = False  # STARTTLS after connecting (usually port 587)
    ssl: bool = False  # implicit TLS (usually port 465)
    timeout_s: float = Field(default=10.0, gt=0)


def _kind(event_type: str) -> str:
    return event_type.split(".", 1)[1] if "." in event_type else event_type


def render_email(payload: dict[str, Any]) -> tuple[str, str]:
    """Subject and plain-text body of an alarm notification."""
    alert: dict[str, Any] = payload.get("alert") or {}
    ctx: dict[str, Any] = payload.get("context") or {}
    kind = _kind(str(payload.get("type", "")))
    severity = str(alert.get("severity", "")).upper()
    safety = bool(alert.get("safety"))
    tag = f"{'SAFETY ' if safety else ''}{severity}".strip()
    message = " ".join(str(alert.get("message", "")).split())  # one line: no header injection via CR/LF
    subject = f"[MIP] {tag} alarm {KIND_WORDS.get(kind, kind)}: {message}"
    if len(subject) > 200:
        subject = subject[:197] + "..."
    lines = [
        f"Alarm {KIND_WORDS.get(kind, kind)}: {message}",
        "",
        f"Severity:  {alert.get('severity', '')}{'  (SAFETY alarm)' if safety else ''}",
        f"State:     {alert.get('state', '')}",
        f"Machine:   {ctx.get('machine') or alert.get('machine_id', '')}",
        f"Site:      {ctx.get('site') or '-'}",
        f"Line:      {ctx.get('line') or '-'}",
        f"Rule:      {alert.get('rule', '')}",
        f"First:     {alert.get('first_ts', '')}",
        f"Last:      {alert.get('last_ts', '')}",
        f"Count:     {alert.get('count', '')}",
        f"Alert id:  {alert.get('id', '')}",
        "",
        "You receive this message because of your MIP notification subscriptions.",
        "Safety alarms are always sent, also during quiet hours.",
    ]
    return subject, "\n".join(lines) + "\n"


def build_message(cfg: SmtpConfig, to: str, delivery_id: uuid.UUID, payload: dict[str, Any]) -> EmailMessage:
    subject, body = render_email(payload)
    msg = EmailMessage()
    msg["From"] = cfg.from_addr
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = cfg.from_addr.rpartition("@")[2] or "mip.local"
    msg["Message-ID"] = make_msgid(idstring=str(delivery_id), domain=domain)
    msg["X-MIP-Delivery"] = str(delivery_id)
    msg["X-MIP-Event"] = str(payload.get("type", ""))
    msg.set_content(body)
    return msg


def _send_sync(cfg: SmtpConfig, msg: EmailMessage) -> None:
    smtp: smtplib.SMTP
    if cfg.ssl:
        smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_s, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s)
    with smtp:
        if cfg.starttls and not cfg.ssl:
            smtp.starttls(context=ssl.create_default_context())
        if cfg.username:
            smtp.login(cfg.username, cfg.password.get_secret_value())
        smtp.send_message(msg)


async def send_email(cfg: SmtpConfig, msg: EmailMessage) -> None:
    """Send in a worker thread; raises smtplib.SMTPException / OSError on failure."""
    await asyncio.to_thread(_send_sync, cfg, msg)
