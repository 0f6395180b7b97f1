"""Password rules: 12 characters at least, and not guessable by zxcvbn's lists."""

from __future__ import annotations

import pytest

from domain.tenancy.members import InvalidMember
from infra.auth.passwords import check_password


@pytest.mark.parametrize(
    "weak",
    ["password1234", "qwertyuiop12", "1234567890ab", "aaaaaaaaaaaaaa"],
)
def test_common_and_guessable_passwords_are_refused_in_thai(weak: str) -> None:
    with pytest.raises(InvalidMember) as e:
        check_password(weak, "somchai@tharae.example", "สมชาย ใจดี")
    assert e.value.message.startswith("รหัสผ่าน")
    assert e.value.details.get("field") == "password"


def test_short_passwords_are_refused_with_the_length_and_the_passphrase_hint() -> None:
    with pytest.raises(InvalidMember) as e:
        check_password("Xk#9q!")
    assert "12" in e.value.message and "วลี" in e.value.message


@pytest.mark.parametrize(
    "good", ["correct horse battery", "ม้าลาย กินหญ้า ริมน้ำ", "sujarit-demo-2569", "Tq8#vL2!mZp0"]
)
def test_passphrases_and_random_passwords_pass(good: str) -> None:
    check_password(good, "somchai@tharae.example")
