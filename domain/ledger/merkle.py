"""RFC 9162 §2.1 Merkle trees: hashes, proofs and their verification.

A tree of ``size`` leaves is described by ranges ``[start, end)`` of leaves. A proof is a list of
subtree hashes, each the Merkle Tree Hash (MTH) of one range. Every range a proof names starts
at a multiple of a power of two at least as large as the range, so it splits into complete,
aligned subtrees (``blocks``): a store that keeps the hash of every complete subtree (the node
at ``level`` covering leaves ``[index * 2**level, (index + 1) * 2**level)``) answers any proof
with at most two logarithmic handfuls of lookups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
Range = tuple[int, int]
Node = tuple[int, int]  # (level, index)


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class ProofError(ValueError):
    """A proof asked for sizes or indexes that do not exist."""


def mth(leaves: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash of leaf inputs (RFC 9162 §2.1.1), by its recursive definition."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = split_point(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes form the inclusion proof of leaf ``index`` in a tree of
    ``size`` leaves, leaf end first (RFC 9162 §2.1.3.1)."""
    if not 0 <= index < size:
        raise ProofError(f"index {index} is not in a tree of {size} leaves")
    out: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
    out.reverse()
    return out


def consistency_ranges(old: int, new: int) -> list[Range]:
    """The ranges whose hashes form the consistency proof from ``old`` to ``new`` leaves
    (RFC 9162 §2.1.4.1); empty when old is 0 or old == new."""
    if not 0 <= old <= new:
        raise ProofError(f"no consistency proof from {old} to {new} leaves")
    if old in (0, new):
        return []
    out: list[Range] = []
    start, end, m, whole = 0, new, old, True
    while True:
        n = end - start
        if m == n:
            if not whole:
                out.append((start, end))
            break
        k = split_point(n)
        if m <= k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start += k
            m -= k
            whole = False
    out.reverse()
    return out


def blocks(start: int, end: int) -> list[Node]:
    """The complete aligned subtrees, largest first, that make up ``[start, end)``."""
    out: list[Node] = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        out.append((level, start >> level))
        start += 1 << level
    return out


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of a range from the hashes of its blocks (largest first): right to left."""
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def nodes_for(ranges: Iterable[Range]) -> list[Node]:
    """Every stored node needed for ``ranges``, each once."""
    seen: dict[Node, None] = {}
    for start, end in ranges:
        for b in blocks(start, end):
            seen[b] = None
    return list(seen)


def hashes_of(ranges: Sequence[Range], lookup: Callable[[Node], bytes]) -> list[bytes]:
    return [fold([lookup(b) for b in blocks(s, e)]) for s, e in ranges]


def root_ranges(size: int) -> list[Range]:
    return [(0, size)] if size else []


@dataclass
class NodeBuilder:
    """Complete subtree hashes as leaves arrive in order (what the database stores).

    ``add`` returns the nodes the new leaf completes: the leaf itself at level 0, then its
    parent while the leaf's index ends in that many 1 bits.
    """

    size: int = 0

    def add(
        self, leaf_input: bytes, lookup: Callable[[Node], bytes]
    ) -> list[tuple[int, int, bytes]]:
        index = self.size
        h = leaf_hash(leaf_input)
        out = [(0, index, h)]
        level, i = 0, index
        while i & 1:
            h = node_hash(lookup((level, i - 1)), h)
            level, i = level + 1, i >> 1
            out.append((level, i, h))
        self.size += 1
        return out


def all_nodes(leaf_inputs: Iterable[bytes]) -> dict[Node, bytes]:
    """Every complete subtree's hash over ``leaf_inputs``."""
    nodes: dict[Node, bytes] = {}
    builder = NodeBuilder()
    for data in leaf_inputs:
        for level, index, h in builder.add(data, nodes.__getitem__):
            nodes[(level, index)] = h
    return nodes


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2; ``leaf`` is the leaf input (hashed here)."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old: int, new: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 §2.1.4.2 (old == new: the roots must be equal and the proof empty)."""
    if not 0 <= old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def all_nodes_root(leaf_inputs: Sequence[bytes]) -> bytes:
    """The root over ``leaf_inputs``, computed with a stack (no recursion, any size)."""
    if not leaf_inputs:
        return EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []  # (level, hash) of the complete subtrees so far
    for data in leaf_inputs:
        level, h = 0, leaf_hash(data)
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    return fold([h for _, h in stack])
