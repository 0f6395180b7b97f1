"""The Celery settings that decide how long a job can be lost: Redis's visibility timeout must
outlast every task's hard time limit (or a slow task runs twice meanwhile), and a job whose
worker was killed as a whole must be queued again well within a minute (its heartbeat goes
stale, then the next sweep finds it)."""

from __future__ import annotations

from infra.settings import load_settings
from services.workers.celery_app import app, celery_config


def test_the_visibility_timeout_outlasts_every_task() -> None:
    app.loader.import_default_modules()
    settings = load_settings({})
    limits = {
        name: task.time_limit
        for name, task in app.tasks.items()
        if name.startswith("sujarit.") and task.time_limit
    }
    assert "sujarit.generate_report" in limits and "sujarit.generate_province_summary" in limits
    longest = max(limits.values())
    assert settings.visibility_timeout >= longest + 30, (settings.visibility_timeout, limits)
    transport = celery_config(settings)["broker_transport_options"]
    assert transport["visibility_timeout"] == settings.visibility_timeout


def test_a_lost_job_is_queued_again_within_a_minute() -> None:
    settings = load_settings({})
    assert settings.job_heartbeat_seconds * 3 <= settings.job_stale_seconds
    worst = settings.job_stale_seconds + settings.job_sweep_seconds
    assert worst <= 50, worst  # leaves the next worker ten seconds to start on it
    beat = celery_config(settings)["beat_schedule"]["sweep-lost-jobs"]
    assert beat == {"task": "sujarit.sweep_lost_jobs", "schedule": settings.job_sweep_seconds}
