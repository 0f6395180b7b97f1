"""RFC 9162 trees: every size 1..N, every index and every pair of sizes, against the recursive
definitions (MTH, PATH, PROOF) written out here independently of domain.ledger.merkle."""

from __future__ import annotations

import hashlib

import pytest

from domain.ledger import merkle as m

N = 70


def _leaves(n: int) -> list[bytes]:
    return [hashlib.sha256(f"event {i}".encode()).digest() for i in range(n)]


def _h(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def naive_mth(d: list[bytes]) -> bytes:
    if not d:
        return _h(b"")
    if len(d) == 1:
        return _h(b"\x00" + d[0])
    k = 1
    while k * 2 < len(d):
        k *= 2
    return _h(b"\x01" + naive_mth(d[:k]) + naive_mth(d[k:]))


def naive_path(i: int, d: list[bytes]) -> list[bytes]:
    n = len(d)
    if n <= 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if i < k:
        return [*naive_path(i, d[:k]), naive_mth(d[k:])]
    return [*naive_path(i - k, d[k:]), naive_mth(d[:k])]


def naive_subproof(mm: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if mm == n:
        return [] if b else [naive_mth(d)]
    k = 1
    while k * 2 < n:
        k *= 2
    if mm <= k:
        return [*naive_subproof(mm, d[:k], b), naive_mth(d[k:])]
    return [*naive_subproof(mm - k, d[k:], False), naive_mth(d[:k])]


LEAVES = _leaves(N)
NODES = m.all_nodes(LEAVES)


def _from_nodes(ranges: list[tuple[int, int]]) -> list[bytes]:
    return m.hashes_of(ranges, NODES.__getitem__)


def test_empty_tree_hash_is_sha256_of_nothing() -> None:
    assert m.mth([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_roots_of_every_size_from_stored_nodes() -> None:
    for n in range(1, N + 1):
        want = naive_mth(LEAVES[:n])
        assert m.mth(LEAVES[:n]) == want
        assert _from_nodes([(0, n)]) == [want], n


def test_nodes_are_exactly_the_complete_subtrees() -> None:
    for (level, index), h in NODES.items():
        assert h == naive_mth(LEAVES[index << level : (index + 1) << level])
    assert len(NODES) == sum(N >> level for level in range(N.bit_length()))


def test_inclusion_proofs_for_every_index_and_size() -> None:
    for n in range(1, N + 1):
        root = naive_mth(LEAVES[:n])
        for i in range(n):
            proof = _from_nodes(m.inclusion_ranges(i, n))
            assert proof == naive_path(i, LEAVES[:n]), (i, n)
            assert m.verify_inclusion(i, n, LEAVES[i], proof, root)
            assert not m.verify_inclusion(i, n, LEAVES[(i + 1) % N], proof, root) or n == 1
            if proof:
                bad = [*proof[:-1], bytes(32)]
                assert not m.verify_inclusion(i, n, LEAVES[i], bad, root)
                assert not m.verify_inclusion(i, n, LEAVES[i], proof[:-1], root)


def test_consistency_proofs_for_every_pair() -> None:
    for n in range(1, N + 1):
        new_root = naive_mth(LEAVES[:n])
        for old in range(1, n + 1):
            old_root = naive_mth(LEAVES[:old])
            proof = _from_nodes(m.consistency_ranges(old, n))
            want = [] if old == n else naive_subproof(old, LEAVES[:n], True)
            assert proof == want, (old, n)
            assert m.verify_consistency(old, n, proof, old_root, new_root), (old, n)
            if old < n:
                assert not m.verify_consistency(old, n, proof, bytes(32), new_root)
                assert not m.verify_consistency(old, n, proof, old_root, bytes(32))
                forked = [*LEAVES[: old - 1], b"rewritten", *LEAVES[old:n]]
                assert not m.verify_consistency(old, n, proof, old_root, naive_mth(forked))


def test_out_of_range_requests_are_refused() -> None:
    with pytest.raises(m.ProofError):
        m.inclusion_ranges(5, 5)
    with pytest.raises(m.ProofError):
        m.inclusion_ranges(-1, 5)
    with pytest.raises(m.ProofError):
        m.consistency_ranges(6, 5)
    assert not m.verify_inclusion(5, 5, LEAVES[0], [], bytes(32))
    assert not m.verify_consistency(3, 2, [], bytes(32), bytes(32))


def test_blocks_cover_ranges_with_complete_subtrees() -> None:
    assert m.blocks(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert m.blocks(8, 13) == [(2, 2), (0, 12)]
    assert m.blocks(12, 14) == [(1, 6)]
