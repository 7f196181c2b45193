"""The engine agrees with the minute-by-minute reference model on thousands of documents."""

from __future__ import annotations

import json
import random

import pytest

from .generators import random_document, random_loop_document
from .helpers import api_slots
from .reference_model import reference_slots

BATCHES = 8
PER_BATCH = 300
# Documents with the contract's additions: weekly caps (1,200) and loops (1,600), each
# seed range distinct from the plain documents'.
WEEKLY_BATCHES = 3
LOOP_BATCHES = 4
ADDITION_BATCH = 400


@pytest.mark.parametrize("batch", range(BATCHES))
def test_engine_matches_the_reference_model(batch: int) -> None:
    # Given seeded random documents around 2026's clock changes (1 to 3 day horizons),
    # when both the engine and the reference model answer, then the answers are identical.
    for seed in range(batch * PER_BATCH, (batch + 1) * PER_BATCH):
        document = random_document(random.Random(seed))
        expected = reference_slots(document)
        assert api_slots(document) == expected, f"seed {seed}: {json.dumps(document)}"


@pytest.mark.parametrize("batch", range(WEEKLY_BATCHES))
def test_engine_matches_the_reference_model_with_weekly_caps(batch: int) -> None:
    # Given documents whose interviewers may have max_per_week and interviews spread over the
    # local weeks around 2026's clock changes, then engine and model agree.
    for seed in range(batch * ADDITION_BATCH, (batch + 1) * ADDITION_BATCH):
        document = random_document(random.Random(10_000 + seed), weekly_caps=True)
        expected = reference_slots(document)
        assert api_slots(document) == expected, f"seed {seed}: {json.dumps(document)}"


@pytest.mark.parametrize("batch", range(LOOP_BATCHES))
def test_engine_matches_the_reference_model_on_loops(batch: int) -> None:
    # Given loops of 1 to 4 sessions with required people, seats, "any" sessions, gaps and
    # daily and weekly caps, then engine and model agree, seat members included.
    for seed in range(batch * ADDITION_BATCH, (batch + 1) * ADDITION_BATCH):
        document = random_loop_document(random.Random(20_000 + seed))
        expected = reference_slots(document)
        assert api_slots(document) == expected, f"seed {seed}: {json.dumps(document)}"


def test_the_generated_additions_are_not_trivial() -> None:
    # Weekly caps change some answers; loops are often offered, several sessions long, and
    # seats often report only some of their members.
    changed = 0
    for seed in range(200):
        document = random_document(random.Random(10_000 + seed), weekly_caps=True)
        uncapped = json.loads(json.dumps(document))
        for person in uncapped["interviewers"]:
            person["max_per_week"] = None
        changed += reference_slots(document) != reference_slots(uncapped)
    assert changed > 30
    answers = [
        (document, reference_slots(document))
        for document in (random_loop_document(random.Random(20_000 + n)) for n in range(200))
    ]
    assert sum(1 for _, slots in answers if slots) > 40
    assert sum(1 for document, slots in answers if slots and len(document["sessions"]) > 2) > 5
    partial = 0
    for document, slots in answers:
        seats = {
            tuple(element)
            for session in document["sessions"]
            for element in session["interviewers"]
            if isinstance(element, list)
        }
        reported = {
            tuple(element)
            for slot in slots
            for session in slot["sessions"]
            for element in session["interviewers"]
            if isinstance(element, list)
        }
        partial += bool(reported - seats)
    assert partial > 10


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
