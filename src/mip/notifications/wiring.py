"""Build the notification consumer and dispatcher from settings (started in the stream role)."""

from __future__ import annotations

from mip.notifications.consumer import NotificationConsumer
from mip.notifications.dispatcher import DeliveryConfig, NotificationDispatcher
from mip.notifications.mailer import SmtpConfig
from mip.platform.bus import Bus
from mip.platform.db import Database
from mip.platform.settings import Settings


def build_notifications(
    settings: Settings, db: Database, bus: Bus
) -> tuple[NotificationConsumer, NotificationDispatcher]:
    s = settings
    smtp = (
        SmtpConfig(
            host=s.smtp_host,
            port=s.smtp_port,
            from_addr=s.smtp_from,
            username=s.smtp_username,
            password=s.smtp_password,
            starttls=s.smtp_starttls,
            ssl=s.smtp_ssl,
            timeout_s=s.smtp_timeout_s,
        )
        if s.smtp_host
        else None
    )
    config = DeliveryConfig(
        max_attempts=s.notify_max_attempts,
        backoff_base_s=s.notify_backoff_base_s,
        backoff_max_s=s.notify_backoff_max_s,
        webhook_timeout_s=s.notify_webhook_timeout_s,
        poll_interval_s=s.notify_poll_interval_s,
        concurrency=s.notify_concurrency,
    )
    dispatcher = NotificationDispatcher(db, smtp=smtp, config=config)
    consumer = NotificationConsumer(db, bus, on_enqueued=dispatcher.wake)
    return consumer, dispatcher
