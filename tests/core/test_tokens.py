"""Secret link tokens: unguessable, stored only as digests, checked in constant time."""

from __future__ import annotations

from hireslot.core.tokens import (
    link_token_new,
    token_digest,
    token_matches,
    token_well_formed,
)


def test_a_new_token_carries_256_bits_and_only_its_digest_is_kept() -> None:
    token, digest, _nonce = link_token_new()

    assert token_well_formed(token)
    assert len(token) == 43  # 32 bytes in unpadded base64url
    assert token not in digest and len(digest) == 64
    assert token_matches(token, digest)


def test_tokens_are_never_repeated() -> None:
    assert len({link_token_new()[0] for _ in range(1000)}) == 1000


def test_a_tampered_token_does_not_match() -> None:
    token, digest, _nonce = link_token_new()
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    assert not token_matches(tampered, digest)
    assert token_digest(tampered) != digest


def test_malformed_tokens_are_rejected_before_any_lookup() -> None:
    for bad in ["", "short", "x" * 44, "a" * 42 + "!", "../../etc/passwd"]:
        assert not token_well_formed(bad)
