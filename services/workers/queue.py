"""Handing tasks to the workers from any process (the API, the CLI): a Celery client that only
sends, configured like the workers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from celery import Celery

from infra.settings import Settings
from services.workers.celery_app import celery_config

_clients: dict[str, Celery] = {}


def client(settings: Settings) -> Celery:
    if settings.redis_url not in _clients:
        sender = Celery("sujarit-sender", set_as_current=False)
        sender.conf.update(celery_config(settings))
        _clients[settings.redis_url] = sender
    return _clients[settings.redis_url]


def sender(settings: Settings) -> Any:
    """The ``queue`` of services.usecases.bootstrap: ``queue(task name, args)``."""

    def send(task: str, args: Sequence[Any]) -> None:
        client(settings).send_task(task, args=list(args))

    return send
