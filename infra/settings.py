"""Settings, read from the environment by a factory (nothing is read at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from infra import pgurl

APP_ROLE = "sujarit_app"
PROJECTOR_ROLE = "sujarit_projector"
PUBLIC_ROLE = "sujarit_public"  # the public pages' role (NOLOGIN; the web role switches to it)


def _with_user(url: str, user: str, password: str | None) -> str:
    """The same server(s) and database as ``url``, signed in as ``user``."""
    return pgurl.with_user(url, user, password) if url else ""


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    data_dir: Path = Path(".data")
    # The owner's connection: migrations and operator commands. Empty -> embedded server.
    database_url: str = ""
    # The web role's and the projector's connections; derived from database_url when empty.
    app_database_url: str = ""
    projector_database_url: str = ""
    app_db_password: str | None = None
    projector_db_password: str | None = None
    # Reads that may be a little stale (public pages, province dashboards): "primary", or
    # "standby" (a standby of a pg_auto_failover pair when one answers, else the primary).
    stale_reads: str = "primary"
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Asia/Bangkok"
    db_pool_min: int = 2
    db_pool_max: int = 16
    log_level: str = "INFO"
    log_json: bool = True
    projector_batch: int = 500
    projector_idle_seconds: float = 0.5
    # Sign-in and sessions.
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    cookie_secure: bool = True  # off only for plain-http development (``sujarit run``)
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "testserver.local")
    cors_origins: tuple[str, ...] = ()  # closed unless configured
    # Proxies whose X-Forwarded-For is believed (addresses or networks, e.g. 10.0.0.0/8);
    # none by default: a client's address is the peer's, whatever a header says.
    forwarded_allow_ips: tuple[str, ...] = ()
    # The address people reach the service at (links in emails).
    base_url: str = "http://127.0.0.1:8000"
    # Email.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_security: str = "none"  # none | starttls | tls
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "Sujarit <no-reply@sujarit.local>"
    # Workers.
    # Redis redelivers an unacknowledged task after this: longer than the longest task's hard
    # time limit (the province summary's 960 s), or a slow task would run twice meanwhile.
    visibility_timeout: int = 1020
    # A running report job's worker writes a heartbeat this often; a job whose heartbeat is
    # older than job_stale_seconds lost its worker and the sweep (every job_sweep_seconds)
    # queues it again: back within a minute of a worker killed as a whole.
    job_heartbeat_seconds: float = 5.0
    job_stale_seconds: float = 30.0
    job_sweep_seconds: float = 15.0
    reminder_scan_seconds: float = 300.0
    relay_seconds: float = 5.0  # how often beat hands unsent job orders to the queue
    reminder_retries: int = 8  # SMTP failures before a reminder shows as failed
    reminder_backoff_seconds: float = 30.0  # doubled at each retry
    # The transparency log: its key file (made on first use), the name in its key and origins
    # (default: BASE_URL's host), the witnesses ("<url> <verifier key>", comma-separated), how
    # often a growing tree gets a checkpoint, and how often beat looks.
    log_key_file: Path | None = None
    log_name: str = ""
    witnesses: tuple[str, ...] = ()
    checkpoint_seconds: float = 180.0
    checkpoint_scan_seconds: float = 15.0
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def log_key_path(self) -> Path:
        return self.log_key_file or self.data_dir / "keys" / "log.key"

    @property
    def log_origin_name(self) -> str:
        return self.log_name or (urlsplit(self.base_url).netloc or "sujarit.local")

    @property
    def evidence_dir(self) -> Path:
        return Path(self.extra.get("EVIDENCE_DIR") or self.data_dir / "evidence")

    @property
    def app_url(self) -> str:
        return self.app_database_url or _with_user(
            self.database_url, APP_ROLE, self.app_db_password
        )

    @property
    def projector_url(self) -> str:
        return self.projector_database_url or _with_user(
            self.database_url, PROJECTOR_ROLE, self.projector_db_password
        )

    @property
    def app_read_url(self) -> str:
        """The web role's connection for reads that may be stale (``STALE_READS``)."""
        return pgurl.standby(self.app_url) if self.stale_reads == "standby" else self.app_url

    def with_urls(self, database_url: str, redis_url: str) -> Settings:
        from dataclasses import replace

        return replace(self, database_url=database_url, redis_url=redis_url)


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        return default
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _witness_file(path: str | None) -> tuple[str, ...]:
    """More witnesses, one ``<url> <verifier key>`` a line (``#`` comments), from a file that
    may not exist yet (Compose: the local witness writes it when it first starts)."""
    if not path or not Path(path).is_file():
        return ()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#"))


def _choice(value: str | None, choices: tuple[str, ...]) -> str:
    v = (value or choices[0]).strip().lower()
    if v not in choices:
        raise ValueError(f"{v!r} is not one of {', '.join(choices)}")
    return v


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: the process environment)."""
    e = os.environ if env is None else env
    return Settings(
        data_dir=Path(e.get("SUJARIT_DATA_DIR", ".data")),
        # Several hosts (node1:5432,node2:5432): writers find the primary (infra/pgurl.py).
        database_url=pgurl.writer(e.get("DATABASE_URL", "")),
        app_database_url=pgurl.writer(e.get("APP_DATABASE_URL", "")),
        projector_database_url=pgurl.writer(e.get("PROJECTOR_DATABASE_URL", "")),
        app_db_password=e.get("APP_DB_PASSWORD") or None,
        projector_db_password=e.get("PROJECTOR_DB_PASSWORD") or None,
        stale_reads=_choice(e.get("STALE_READS"), ("primary", "standby")),
        redis_url=e.get("REDIS_URL", ""),
        host=e.get("HOST", "127.0.0.1"),
        port=int(e.get("PORT", "8000")),
        db_pool_min=int(e.get("DB_POOL_MIN", "2")),
        db_pool_max=int(e.get("DB_POOL_MAX", "16")),
        log_level=e.get("LOG_LEVEL", "INFO"),
        log_json=_bool(e.get("LOG_JSON"), True),
        projector_batch=int(e.get("PROJECTOR_BATCH", "500")),
        session_idle_minutes=int(e.get("SESSION_IDLE_MINUTES", "30")),
        session_absolute_hours=int(e.get("SESSION_ABSOLUTE_HOURS", "12")),
        cookie_secure=_bool(e.get("COOKIE_SECURE"), True),
        allowed_hosts=_list(e.get("ALLOWED_HOSTS"), ("127.0.0.1", "localhost")),
        cors_origins=_list(e.get("CORS_ORIGINS"), ()),
        forwarded_allow_ips=_list(e.get("FORWARDED_ALLOW_IPS"), ()),
        base_url=e.get("BASE_URL", f"http://127.0.0.1:{e.get('PORT', '8000')}"),
        smtp_host=e.get("SMTP_HOST", "127.0.0.1"),
        smtp_port=int(e.get("SMTP_PORT", "1025")),
        smtp_security=_choice(e.get("SMTP_SECURITY"), ("none", "starttls", "tls")),
        smtp_user=e.get("SMTP_USER", ""),
        smtp_password=e.get("SMTP_PASSWORD", ""),
        mail_from=e.get("MAIL_FROM", "Sujarit <no-reply@sujarit.local>"),
        visibility_timeout=int(e.get("CELERY_VISIBILITY_TIMEOUT", "1020")),
        job_heartbeat_seconds=float(e.get("JOB_HEARTBEAT_SECONDS", "5")),
        job_stale_seconds=float(e.get("JOB_STALE_SECONDS", "30")),
        job_sweep_seconds=float(e.get("JOB_SWEEP_SECONDS", "15")),
        reminder_scan_seconds=float(e.get("REMINDER_SCAN_SECONDS", "300")),
        relay_seconds=float(e.get("RELAY_SECONDS", "5")),
        reminder_retries=int(e.get("REMINDER_RETRIES", "8")),
        reminder_backoff_seconds=float(e.get("REMINDER_BACKOFF_SECONDS", "30")),
        log_key_file=Path(e["LOG_KEY_FILE"]) if e.get("LOG_KEY_FILE") else None,
        log_name=e.get("LOG_NAME", ""),
        witnesses=_list(e.get("WITNESSES"), ()) + _witness_file(e.get("WITNESSES_FILE")),
        checkpoint_seconds=float(e.get("CHECKPOINT_SECONDS", "180")),
        checkpoint_scan_seconds=float(e.get("CHECKPOINT_SCAN_SECONDS", "15")),
        extra={k: e[k] for k in ("EVIDENCE_DIR",) if e.get(k)},
    )
