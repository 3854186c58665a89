"""Notifications: per-user subscriptions, quiet hours, webhooks (HMAC-signed, retried, dead-lettered) and email over
SMTP, delivered from an outbox after commit.
"""
