# syntax=docker/dockerfile:1
#
# Sujarit: one image for the API, the Celery worker (which also runs the async projector),
# Celery beat and the operator commands (`sujarit ...`). See docs/deploy.md.
# Not built on the development machine (it has no container engine).

FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

# uv from PyPI, the same version that wrote uv.lock.
RUN pip install "uv==0.13.9"

# pg_dump / pg_restore of the server's major version for `sujarit backup` / `restore`
# (PostgreSQL 16 in docker-compose.yml; bookworm has 15 only: PGDG's repository).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

# The unprivileged user the services run as. /app stays owned by root (read-only to it).
RUN groupadd --system --gid 10001 sujarit \
 && useradd --system --uid 10001 --gid sujarit --create-home --home-dir /home/sujarit \
        --shell /usr/sbin/nologin sujarit \
 && mkdir -p /var/lib/sujarit/evidence /var/lib/sujarit/keys /var/lib/sujarit/public \
        /var/lib/sujarit/witness \
 && chown sujarit:sujarit /var/lib/sujarit/evidence /var/lib/sujarit/keys \
        /var/lib/sujarit/public /var/lib/sujarit/witness

WORKDIR /app

# Dependencies only (cached until pyproject.toml or uv.lock change).
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

# The project itself.
COPY domain/ domain/
COPY infra/ infra/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev \
 && /app/.venv/bin/python -m compileall -q domain infra services

ENV PATH="/app/.venv/bin:$PATH"

USER sujarit

EXPOSE 8000

# Liveness of the API (python: slim has no curl). Compose disables or replaces it for the
# worker, beat and the one-off migrate container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]

CMD ["uvicorn", "--factory", "services.api.asgi:make_app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log", "--no-proxy-headers"]
