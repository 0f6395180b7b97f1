from __future__ import annotations

from pathlib import Path

import yaml

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


def test_witnesses_file_adds_to_witnesses(tmp_path: Path) -> None:
    """Compose's local witness writes its "<url> <key>" line to WITNESSES_FILE; a file not
    written yet adds none."""
    f = tmp_path / "witnesses"
    env = {"WITNESSES": "https://po.example/w a+1+AAAA", "WITNESSES_FILE": str(f)}
    assert load_settings(env).witnesses == ("https://po.example/w a+1+AAAA",)
    f.write_text("# local\nhttp://witness:8101 w+2+BBBB\n\n", encoding="utf-8")
    assert load_settings(env).witnesses == (
        "https://po.example/w a+1+AAAA",
        "http://witness:8101 w+2+BBBB",
    )


def test_compose_runs_a_witness_the_services_trust() -> None:
    """docker-compose.yml: one witness with its own volume and no database; the API, worker
    and beat share one log key file and read the witness's line; migrate writes the log's
    verifier key (never the secret) where the witness reads it."""
    compose = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())
    services = compose["services"]
    witness = services["witness"]
    script = witness["command"][-1]
    assert "sujarit witness" in script and "--log-key" in script and "log.vkey" in script
    assert not any("DATABASE" in k for k in witness.get("environment", {}))
    assert not any("logkey" in v for v in witness["volumes"])
    assert (
        "sujarit log key --public /var/lib/sujarit/public/log.vkey"
        in (services["migrate"]["command"][-1])
    )
    for name in ("api", "worker", "beat"):
        env = services[name]["environment"]
        assert env["LOG_KEY_FILE"] == "/var/lib/sujarit/keys/log.key", name
        assert env["WITNESSES_FILE"] == "/var/lib/sujarit/public/witnesses", name
        assert services[name]["depends_on"]["witness"]["condition"] == "service_healthy"
