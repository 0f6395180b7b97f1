"""One settings source: a command run beside `sujarit run` reads the running service's settings
(the data folder's service.env), then .env, then its own environment; `sujarit run` itself
never reads what it writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infra.settings import (
    SERVICE_FILE,
    Settings,
    load_settings,
    read_env_file,
    service_env,
    write_service_env,
)
from services import cli


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def running(data: Path, port: int = 8620) -> Path:
    settings = Settings(
        data_dir=data,
        database_url="postgresql://owner@127.0.0.1:54329/sujarit",
        redis_url="redis://127.0.0.1:63799/0",
        port=port,
        base_url=f"http://127.0.0.1:{port}",
        smtp_port=2525,
    )
    return write_service_env(settings, {"COOKIE_SECURE": "false"})


def test_a_command_reads_the_running_service_s_settings(folder: Path) -> None:
    path = running(folder / ".data")
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the database address is in it
    s = load_settings(service_env({}))
    assert s.port == 8620 and s.base_url == "http://127.0.0.1:8620"
    assert s.smtp_port == 2525 and s.database_url.endswith(":54329/sujarit")
    assert not s.cookie_secure


def test_dot_env_then_the_environment_win_over_the_running_service(folder: Path) -> None:
    running(folder / ".data")
    (folder / ".env").write_text('# local\nexport SMTP_PORT="1026"\nPORT=9000\n')
    assert read_env_file(folder / ".env") == {"SMTP_PORT": "1026", "PORT": "9000"}
    s = load_settings(service_env({"PORT": "9100"}))
    assert (s.smtp_port, s.port, s.base_url) == (1026, 9100, "http://127.0.0.1:8620")


def test_the_data_folder_may_be_elsewhere(folder: Path) -> None:
    running(folder / "elsewhere", port=8700)
    assert load_settings(service_env({"SUJARIT_DATA_DIR": "elsewhere"})).port == 8700
    assert load_settings(service_env({})).port == 8000  # nothing runs from .data


def test_sujarit_run_never_reads_what_it_wrote(folder: Path) -> None:
    running(folder / ".data")
    assert "DATABASE_URL" not in service_env({}, running_service=False)


def test_the_cli_passes_the_running_service_s_settings_to_its_commands(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running(folder / ".data")
    seen: list[Settings] = []
    monkeypatch.setattr(cli, "cmd_projector", lambda s, a: seen.append(s) or 0)
    for name in ("PORT", "BASE_URL", "DATABASE_URL", "SUJARIT_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["projector"]) == 0
    assert seen[0].base_url == "http://127.0.0.1:8620"
    (folder / ".data" / SERVICE_FILE).unlink()
    assert not os.path.exists(folder / ".data" / SERVICE_FILE)
