"""The Celery application. Configured lazily from the environment on first use."""

from __future__ import annotations

from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from infra.settings import Settings, load_settings

app = Celery(
    "sujarit",
    set_as_current=False,
    include=[
        "services.workers.tasks",
        "services.workers.reminders",
        "services.workers.reports",
        "services.workers.mail",
        "services.workers.relay",
        "services.workers.review_mail",
        "services.workers.ledger",
    ],
)


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.redis_url,
        "result_backend": settings.redis_url,
        "timezone": settings.timezone,
        "enable_utc": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_expires": 24 * 3600,
        "broker_connection_retry_on_startup": True,
        # Redis redelivers a task not acknowledged within the visibility timeout; the sweep
        # that does it runs every few seconds (kombu's default is ~100 s between scans).
        "broker_transport_options": {
            "visibility_timeout": settings.visibility_timeout,
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout // 4)),
            "unacked_restore_throttle": 1,
        },
        "beat_schedule": {
            # Recompute every tenant's hash chain each night (Asia/Bangkok).
            "verify-event-log": {
                "task": "sujarit.verify_log",
                "schedule": crontab(hour="2", minute="15"),
            },
            # Find the reminders due (Asia/Bangkok dates) and enqueue one digest per
            # (tenant, recipient); no countdown tasks.
            "scan-reminders": {
                "task": "sujarit.scan_reminders",
                "schedule": settings.reminder_scan_seconds,
            },
            # Mail (invitations, password resets, ...) still unsent past its time: its task
            # was lost or never handed over; the task claims each row, so twice is harmless.
            "relay-mail": {"task": "sujarit.relay_mail", "schedule": 60.0},
            # The job outbox: hand every order still unsent to the queue.
            "relay-jobs": {
                "task": "sujarit.relay_jobs",
                "schedule": settings.relay_seconds,
            },
            # Report jobs whose worker stopped beating (killed as a whole): queued again.
            "sweep-lost-jobs": {
                "task": "sujarit.sweep_lost_jobs",
                "schedule": settings.job_sweep_seconds,
            },
            # The review mail outbox: every revision request's mail still unsent.
            "scan-review-mail": {
                "task": "sujarit.scan_review_mail",
                "schedule": settings.reminder_scan_seconds,
            },
            # The transparency log: checkpoints of the trees that grew (at once after a
            # publication, else at most every CHECKPOINT_SECONDS), sent to the witnesses.
            "issue-checkpoints": {
                "task": "sujarit.issue_checkpoints",
                "schedule": settings.checkpoint_scan_seconds,
            },
            # Reports on schedule: each tenant's at the close of a round, each province's
            # monthly (the task decides what is due today and is idempotent).
            "scheduled-reports": {
                "task": "sujarit.scheduled_reports",
                "schedule": crontab(hour="3", minute="30"),
            },
        },
    }


@app.on_configure.connect
def _configure(sender: Celery, **_: Any) -> None:
    sender.conf.update(celery_config(load_settings()))


_projector: Any = None


@signals.worker_init.connect
def _warm_up(**_: Any) -> None:
    """Before the pool forks: the PDF renderer loaded once, not in each pool process's first
    report (imports, stylesheet and fonts: ~3 s of CPU each)."""
    from infra.documents.pdf import warm_up

    warm_up()


@signals.worker_ready.connect
def _start_projector(**_: Any) -> None:
    """The async projector runs in the worker's main process, on its own thread."""
    global _projector
    from services.workers.projector import ProjectorThread

    _projector = ProjectorThread(load_settings())
    _projector.start()


@signals.worker_shutdown.connect
def _stop_projector(**_: Any) -> None:
    if _projector is not None:
        _projector.stop()
