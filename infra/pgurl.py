"""PostgreSQL connection URLs with one host or several (a pg_auto_failover pair).

One form for every part of the service::

    postgresql://user:password@node1:5432,node2:5432/sujarit?target_session_attrs=read-write

libpq (pg_dump, psql) and asyncpg take it as it is; SQLAlchemy's URL parser does not, so the
migrations connect through asyncpg (``infra/db/migrations/env.py``). The ``?host=a&host=b``
form is read too and written as a host list (asyncpg would use only the last ``host``). With
several hosts, writers get ``target_session_attrs=read-write`` unless one is given: whichever
node is primary is found whatever the order, and a standby is never written to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote, unquote, urlencode

_URL = re.compile(r"^(postgres(?:ql)?)://(?:([^@/?]*)@)?([^/?]*)(/[^?]*)?(?:\?(.*))?$")


@dataclass(frozen=True)
class PgUrl:
    scheme: str
    user: str | None
    password: str | None
    hosts: tuple[str, ...]  # "host" or "host:port" ("[v6]:port")
    path: str  # "/database" or ""
    query: tuple[tuple[str, str], ...]

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)

    def with_param(self, name: str, value: str) -> PgUrl:
        return replace(self, query=(*((k, v) for k, v in self.query if k != name), (name, value)))

    def __str__(self) -> str:
        auth = ""
        if self.user is not None:
            auth = quote(self.user, safe="")
            if self.password is not None:
                auth += ":" + quote(self.password, safe="")
            auth += "@"
        query = "?" + urlencode(self.query, safe=",:") if self.query else ""
        return f"{self.scheme}://{auth}{','.join(self.hosts)}{self.path}{query}"


def parse(url: str) -> PgUrl:
    m = _URL.match(url.strip())
    if not m:
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    scheme, userinfo, netloc, path, query = m.groups()
    user = password = None
    if userinfo is not None:
        u, sep, p = userinfo.partition(":")
        user, password = unquote(u), (unquote(p) if sep else None)
    hosts = [h for h in netloc.split(",") if h]
    params = []
    for k, v in parse_qsl(query or "", keep_blank_values=True):
        if k == "host" and not v.startswith("/"):  # ?host=a:5432&host=b:5432
            hosts += [h for h in v.split(",") if h]
        else:
            params.append((k, v))
    return PgUrl(scheme, user, password, tuple(hosts), path or "", tuple(params))


def several_hosts(url: str) -> bool:
    return len(parse(url).hosts) > 1


def writer(url: str) -> str:
    """The URL for a connection that writes: the primary, whichever host it is."""
    if not url:
        return url
    u = parse(url)
    if len(u.hosts) > 1 and u.param("target_session_attrs") is None:
        u = u.with_param("target_session_attrs", "read-write")
    return str(u) if len(u.hosts) > 1 else url


def with_user(url: str, user: str, password: str | None) -> str:
    """The same servers, database and parameters, signed in as ``user``."""
    return str(replace(parse(url), user=user, password=password))


def standby(url: str) -> str:
    """For reads that may be a little stale: a standby when one answers, else the primary."""
    u = parse(url)
    if len(u.hosts) < 2:
        return url
    return str(u.with_param("target_session_attrs", "prefer-standby"))
