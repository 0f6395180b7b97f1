"""The canonical encoding the hash chain covers."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.eventstore.canonical import GENESIS, NotCanonical, chain_hash, dumps, normalise

text = st.text(alphabet=st.characters(exclude_characters="\x00"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | text
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_normalised_values_survive_a_json_round_trip(value: object) -> None:
    once = normalise(value)
    assert json.loads(dumps(once)) == once
    assert normalise(json.loads(dumps(once))) == once


def test_encoding_is_sorted_compact_nfc_and_keeps_thai() -> None:
    text = unicodedata.normalize("NFD", "ผู้บริหาร é")
    out = dumps(normalise({"b": 1, "a": [Decimal("1.50"), text]}))
    assert out == '{"a":["1.50","ผู้บริหาร é"],"b":1}'
    assert unicodedata.is_normalized("NFC", out)


def test_times_are_utc_with_microseconds_and_dates_iso() -> None:
    bkk = timezone(timedelta(hours=7))
    assert normalise(datetime(2018, 1, 1, 7, 0, tzinfo=bkk)) == "2018-01-01T00:00:00.000000Z"
    assert normalise(date(2017, 10, 1)) == "2017-10-01"
    u = uuid.uuid4()
    assert normalise(u) == str(u)


@pytest.mark.parametrize(
    "bad", [1.5, Decimal("NaN"), datetime(2018, 1, 1), {1: "x"}, object(), b"bytes", "a\x00b"]
)
def test_values_that_would_not_round_trip_are_refused(bad: object) -> None:
    with pytest.raises(NotCanonical):
        normalise({"x": bad})


def test_hash_depends_on_content_and_previous_link() -> None:
    body = {"event_type": "X", "data": {"n": 1}, "recorded_at": datetime(2020, 1, 1, tzinfo=UTC)}
    h1 = chain_hash(GENESIS, body)
    assert h1 == chain_hash(GENESIS, dict(reversed(list(body.items()))))
    assert h1 != chain_hash(GENESIS, {**body, "data": {"n": 2}})
    assert h1 != chain_hash(h1, body)
    assert len(h1) == 32
