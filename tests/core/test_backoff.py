"""Backoff after a temporary failure: grows, is capped, and spreads retries apart."""

from __future__ import annotations

from hireslot.core.backoff import backoff_delay


def test_retry_delays_grow_and_are_capped() -> None:
    first = [backoff_delay(1).total_seconds() for _ in range(50)]
    late = [backoff_delay(20).total_seconds() for _ in range(50)]

    assert all(15 <= s <= 30 for s in first)
    assert all(1800 <= s <= 3600 for s in late)


def test_retries_after_one_outage_do_not_all_come_back_at_once() -> None:
    delays = {round(backoff_delay(3).total_seconds(), 3) for _ in range(50)}

    assert len(delays) > 40
