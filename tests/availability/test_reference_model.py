"""The engine agrees with the minute-by-minute reference model on thousands of documents."""

from __future__ import annotations

import json
import random

import pytest

from .generators import random_document
from .helpers import api_slots
from .reference_model import reference_slots

BATCHES = 8
PER_BATCH = 300


@pytest.mark.parametrize("batch", range(BATCHES))
def test_engine_matches_the_reference_model(batch: int) -> None:
    # Given seeded random documents around 2026's clock changes (1 to 3 day horizons),
    # when both the engine and the reference model answer, then the answers are identical.
    for seed in range(batch * PER_BATCH, (batch + 1) * PER_BATCH):
        document = random_document(random.Random(seed))
        expected = reference_slots(document)
        assert api_slots(document) == expected, f"seed {seed}: {json.dumps(document)}"


def test_the_generated_documents_are_not_trivial() -> None:
    # Guard against a generator that only produces empty answers.
    answers = [reference_slots(random_document(random.Random(seed))) for seed in range(200)]
    assert sum(1 for slots in answers if slots) > 100
    assert sum(1 for slots in answers if any(len(s["interviewers"]) > 1 for s in slots)) > 10


def test_reference_model_agrees_with_the_contract_example() -> None:
    document = {
        "now": "2026-03-01T00:00:00Z",
        "start": "2026-03-08T00:00:00Z",
        "end": "2026-03-09T00:00:00Z",
        "duration": 60,
        "interviewers": [
            {"id": "a", "tz": "America/New_York", "weekly": {"sun": [["01:00", "04:00"]]}}
        ],
    }
    assert [s["start"] for s in reference_slots(document)] == [
        "2026-03-08T06:00:00Z",
        "2026-03-08T07:00:00Z",
    ]
