"""One settings object per process (pydantic-settings, ``MIP_`` prefix)."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev"}


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PROD = "prod"


class BusKind(StrEnum):
    MEMORY = "memory"
    KAFKA = "kafka"


def default_web_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "web" / "dist"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("mip", appauthor=False))


class Settings(BaseSettings):
    """Every knob of a MIP process. Environment variables use the ``MIP_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="MIP_", env_file=None, extra="ignore")

    env: Environment = Environment.DEV
    data_dir: Path = Field(default_factory=default_data_dir)
    # Owner/admin connection (runs migrations). Unset: an embedded PostgreSQL is started in data_dir.
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("MIP_DATABASE_URL", "DATABASE_URL"))
    app_db_password: SecretStr = SecretStr("")
    db_pool_min: int = 2
    db_pool_max: int = 10

    secret_key: SecretStr = SecretStr("")
    access_token_ttl_s: int = 900
    refresh_token_ttl_s: int = 14 * 24 * 3600
    api_key_cache_ttl_s: float = 10.0

    host: str = "127.0.0.1"
    port: int = 8000
    # The built dashboard (web/dist, `npm run build`); `mip serve` serves it at / when index.html exists.
    web_dir: Path = Field(default_factory=default_web_dir)

    bus: BusKind = BusKind.MEMORY
    bus_memory_max_batches: int = 20_000
    # ~4 MiB is ~200k readings: about 2 s of backlog at full load before ingest answers 429
    bus_memory_max_bytes: int = 4 * 1024 * 1024
    # Kafka (MIP_BUS=kafka); see docs/ARCHITECTURE.md "Kafka". Every topic name starts with kafka_topic_prefix;
    # tenants in kafka_tenant_topics (a JSON list of tenant ids) get their own readings topic.
    kafka_bootstrap: str = "127.0.0.1:9092"
    kafka_partitions: int = 12
    kafka_replication: int = 1
    kafka_topic_prefix: str = ""
    kafka_tenant_topics: list[str] = Field(default_factory=list)
    kafka_client_id: str = "mip"
    kafka_session_timeout_ms: int = 45_000  # a crashed consumer's partitions move after this

    ingest_max_body_bytes: int = 8 * 1024 * 1024
    ingest_max_batch_rows: int = 50_000
    ingest_max_future_skew_s: float = 300.0
    ingest_max_past_age_s: float = 7 * 24 * 3600.0

    stream_poll_max: int = 256
    # detection rules: other processes see rule changes within this TTL; escalation scan interval
    rules_ttl_s: float = 5.0
    escalation_interval_s: float = 10.0
    oee_rollup_interval_s: float = 300.0  # <= 0 disables the OEE rollup job in this process
    # predictive maintenance: score every machine with the active models (and retrain when due) this often
    maintenance_interval_s: float = 900.0  # <= 0 disables scoring in this process
    maintenance_retrain: bool = True
    # SPC charts fed by sensors: new readings are charted (and out-of-control signals raised) this often
    spc_interval_s: float = 10.0  # <= 0 disables the job in this process
    # audit log: link committed entries into each tenant's hash chain this often (signed checkpoints follow)
    audit_seal_interval_s: float = 2.0  # <= 0 disables the sealer in this process
    # notifications: the dispatcher (stream role) sends email over SMTP and signed webhooks from the outbox
    notify_dispatch: bool = True
    notify_max_attempts: int = 5
    notify_backoff_base_s: float = 15.0
    notify_backoff_max_s: float = 900.0
    notify_webhook_timeout_s: float = 10.0
    notify_poll_interval_s: float = 1.0
    notify_concurrency: int = 16
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "mip@localhost"
    smtp_username: str | None = None
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout_s: float = 10.0

    # Time-series storage (telemetry/compressor.py, run by the stream role): hourly hot partitions are
    # compressed into chunks once the hour ended compress_after_s ago; retention drops whole partitions
    # (0 = keep forever). compress_interval_s <= 0 disables the job in this process.
    compress_interval_s: float = 60.0
    compress_after_s: float = 3600.0
    partition_ahead_hours: int = 3
    raw_retention_days: int = 90
    rollup_retention_days: int = 730

    # Data lake (mip.lake; the etl role): encrypted Parquet under lake_url (file:///path or s3://bucket/prefix;
    # unset = <data_dir>/lake), master keys in lake_key_dir (unset = <data_dir>/lake-keys), never in the lake.
    lake_enabled: bool = True  # the etl role runs the export loop (part of `all`)
    lake_url: str | None = None
    lake_s3_endpoint: str | None = None  # e.g. http://127.0.0.1:9000 for MinIO / any S3 API
    lake_s3_region: str = "us-east-1"
    lake_s3_access_key: SecretStr = SecretStr("")
    lake_s3_secret_key: SecretStr = SecretStr("")
    lake_key_dir: Path | None = None
    lake_interval_s: float = 300.0  # the etl role's cycle (>= 30)
    lake_safety_lag_s: float = 120.0  # an hour is exported once it ended this long ago
    lake_lookback_days: float = 8.0  # closed hours re-checked for late rows (>= ingest_max_past_age_s)
    lake_backfill_days: float = 90.0  # first export of a tenant/dataset reaches this far back
    lake_alarms_lookback_days: float = 90.0  # alarms (mutable) re-checked for changes this far back
    lake_compact_min_files: int = 4  # a partition with this many files (or more) is merged into one
    lake_gc_grace_s: float = 3600.0  # files in no committed manifest are deleted after this
    lake_retention_raw_days: int = 7 * 365  # lake data classes; per-tenant overrides in lake_retention
    lake_retention_rollup_days: int = 7 * 365
    lake_retention_events_days: int = 7 * 365
    lake_key_cache_s: float = 60.0  # other processes stop decrypting a shredded tenant within this

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        if self.secret_key.get_secret_value() in PLACEHOLDER_SECRETS and self.env is Environment.PROD:
            raise ValueError("MIP_SECRET_KEY must be set to a real secret when MIP_ENV=prod")
        return self

    @model_validator(mode="after")
    def _lake(self) -> Settings:
        if self.lake_interval_s < 30:
            raise ValueError("MIP_LAKE_INTERVAL_S must be at least 30")
        return self

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    def resolve_secret_key(self) -> str:
        """The JWT signing key; in dev/test an unset key is generated once and kept in data_dir."""
        value = self.secret_key.get_secret_value()
        if value not in PLACEHOLDER_SECRETS:
            return value
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value)
        path.chmod(0o600)
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
