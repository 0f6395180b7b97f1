from __future__ import annotations

from infra.settings import APP_ROLE, PROJECTOR_ROLE, load_settings


def test_roles_connect_to_the_owners_server_and_database() -> None:
    s = load_settings(
        {
            "DATABASE_URL": "postgresql://owner:secret@db.internal:5433/sujarit",
            "APP_DB_PASSWORD": "app-pw",
        }
    )
    assert s.app_url == f"postgresql://{APP_ROLE}:app-pw@db.internal:5433/sujarit"
    assert s.projector_url == f"postgresql://{PROJECTOR_ROLE}@db.internal:5433/sujarit"


def test_explicit_role_urls_win() -> None:
    s = load_settings(
        {"DATABASE_URL": "postgresql://o@h/d", "APP_DATABASE_URL": "postgresql://x@y/z"}
    )
    assert s.app_url == "postgresql://x@y/z"


def test_defaults() -> None:
    s = load_settings({})
    assert (s.host, s.port, s.database_url, s.redis_url) == ("127.0.0.1", 8000, "", "")


def test_passwords_are_encoded_in_derived_urls() -> None:
    s = load_settings({"DATABASE_URL": "postgresql://o@h/d", "APP_DB_PASSWORD": "a@b:c/d"})
    assert s.app_url == f"postgresql://{APP_ROLE}:a%40b%3Ac%2Fd@h/d"
