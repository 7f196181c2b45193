"""How long to wait before trying again after a temporary failure."""

from __future__ import annotations

import random
from datetime import timedelta


def backoff_delay(
    attempt: int, *, base_seconds: float = 30.0, cap_seconds: float = 3600.0
) -> timedelta:
    """Exponential backoff with jitter: about ``base``, then twice, four times that … to the cap.

    The jitter (a random point in the upper half of each step) keeps many failed jobs from
    all coming back at the same second when a provider recovers.
    """
    ceiling = min(cap_seconds, base_seconds * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))
