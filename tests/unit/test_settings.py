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


PAIR = "postgresql://owner:pw@node1:5432,node2:6432/sujarit"


def test_a_host_list_gives_every_role_the_primary_whatever_the_order() -> None:
    s = load_settings({"DATABASE_URL": PAIR, "APP_DB_PASSWORD": "a"})
    attrs = "?target_session_attrs=read-write"
    assert s.database_url == PAIR + attrs
    assert s.app_url == f"postgresql://{APP_ROLE}:a@node1:5432,node2:6432/sujarit{attrs}"
    assert s.projector_url == f"postgresql://{PROJECTOR_ROLE}@node1:5432,node2:6432/sujarit{attrs}"
    # Stale reads stay on the primary unless asked for.
    assert s.app_read_url == s.app_url


def test_the_host_query_form_is_written_as_a_host_list() -> None:
    s = load_settings({"DATABASE_URL": "postgresql://o@/d?host=a:1&host=b:2&sslmode=require"})
    assert (
        s.database_url == "postgresql://o@a:1,b:2/d?sslmode=require&target_session_attrs=read-write"
    )


def test_a_given_target_session_attrs_is_kept_and_one_host_is_left_alone() -> None:
    given = PAIR + "?target_session_attrs=primary"
    assert load_settings({"DATABASE_URL": given}).database_url == given
    one = "postgresql://o:p@h:5/d?sslmode=require"
    assert load_settings({"DATABASE_URL": one}).database_url == one


def test_stale_reads_from_a_standby() -> None:
    s = load_settings({"DATABASE_URL": PAIR, "STALE_READS": "standby"})
    assert s.app_read_url == (
        f"postgresql://{APP_ROLE}@node1:5432,node2:6432/sujarit?target_session_attrs=prefer-standby"
    )
    single = load_settings({"DATABASE_URL": "postgresql://o@h/d", "STALE_READS": "standby"})
    assert single.app_read_url == single.app_url


def test_asyncpg_reads_every_host_of_the_list() -> None:
    from asyncpg.connect_utils import _parse_connect_dsn_and_args

    s = load_settings({"DATABASE_URL": PAIR})
    addrs, params = _parse_connect_dsn_and_args(
        dsn=s.app_url, host=None, port=None, user=None, password=None, passfile=None,
        database=None, ssl=None, direct_tls=None, server_settings=None,
        target_session_attrs=None, krbsrvname=None, gsslib=None, service=None, servicefile=None,
    )  # fmt: skip
    assert [a[:2] for a in addrs] == [("node1", 5432), ("node2", 6432)]
    assert str(params.target_session_attrs.value) == "read-write"
