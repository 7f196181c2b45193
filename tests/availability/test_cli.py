"""``python -m hireslot.availability``: JSON in, JSON out, exit 0 or 2, never a traceback."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest

from hireslot.availability.cli import answer_text, main

from .helpers import run_cli

DOCUMENT: dict[str, Any] = {
    "now": "2026-03-01T12:00:00Z",
    "start": "2026-03-02T00:00:00Z",
    "end": "2026-03-03T00:00:00Z",
    "duration": 60,
    "interviewers": [{"id": "a", "tz": "UTC", "weekly": {"mon": [["09:00", "11:00"]]}}],
}
EXPECTED = {
    "slots": [
        {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z", "interviewers": ["a"]},
        {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z", "interviewers": ["a"]},
    ]
}


def _variant(**changes: Any) -> str:
    document = json.loads(json.dumps(DOCUMENT))
    person = changes.pop("person", {})
    document.update(changes)
    document["interviewers"][0].update(person)
    return json.dumps(document)


def test_a_valid_document_gives_exit_0_and_its_slots() -> None:
    status, out, err = run_cli(json.dumps(DOCUMENT))
    assert (status, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert out.count("\n") == 1


INVALID = [
    pytest.param(
        _variant(grid_tz="Europe/Atlantis"), "grid_tz: unknown time zone", id="unknown-zone"
    ),
    pytest.param(
        _variant(end="2026-03-01T00:00:00Z"), "end: is before start", id="end-before-start"
    ),
    pytest.param(
        _variant(person={"weekly": {"mon": [["9am", "11:00"]]}}),
        "interviewers[0].weekly.mon[0][0]: malformed time",
        id="malformed-time",
    ),
    pytest.param(_variant(now="yesterday"), "now: malformed instant", id="malformed-instant"),
    pytest.param(
        _variant(min_notice=-30), "min_notice: must not be negative", id="negative-minutes"
    ),
    pytest.param(
        _variant(person={"buffer_after": -1}),
        "interviewers[0].buffer_after: must not be negative",
        id="negative-buffer",
    ),
    pytest.param(_variant(priority="high"), "priority: unknown field", id="unknown-field"),
    pytest.param(
        _variant(person={"nickname": "x"}),
        "interviewers[0].nickname: unknown field",
        id="unknown-interviewer-field",
    ),
    pytest.param(
        _variant(duration="60"),
        "duration: expected a whole number of minutes, got string",
        id="wrong-type",
    ),
    pytest.param(
        json.dumps({**DOCUMENT, "interviewers": DOCUMENT["interviewers"] * 2}),
        "interviewers[1].id: duplicate id 'a'",
        id="duplicate-ids",
    ),
    pytest.param('{"now": "2026-03-01T12:00:00Z",', "invalid JSON", id="truncated-json"),
    pytest.param("[1, 2, 3]", "the document must be a JSON object, got array", id="array"),
    pytest.param("42", "the document must be a JSON object, got integer", id="number"),
    pytest.param("null", "the document must be a JSON object, got null", id="null"),
    pytest.param("", "empty input", id="empty-stdin"),
    pytest.param("  \n ", "empty input", id="blank-stdin"),
    pytest.param(b"\xff\xfe\x00garbage\x80", "input is not UTF-8 text", id="garbage-bytes"),
    pytest.param("[" * 100_000 + "]" * 100_000, "invalid JSON", id="deep-nesting"),
    pytest.param('{"now": NaN}', "now: expected an ISO 8601 instant string", id="nan"),
]


@pytest.mark.parametrize(("stdin", "message"), INVALID)
def test_invalid_input_gives_exit_2_and_a_named_error(stdin: str | bytes, message: str) -> None:
    status, out, err = run_cli(stdin)
    assert err == ""
    assert status == 2
    answer = json.loads(out)
    assert list(answer) == ["error"]
    assert answer["error"].startswith(message)


def test_a_utf8_byte_order_mark_is_tolerated() -> None:
    status, out, _ = run_cli(b"\xef\xbb\xbf" + json.dumps(DOCUMENT).encode())
    assert status == 0
    assert json.loads(out) == EXPECTED


def test_jsonl_answers_every_line_in_order_and_goes_on_after_errors() -> None:
    lines = [json.dumps(DOCUMENT), "{oops", "", _variant(duration=0), json.dumps(DOCUMENT)]
    status, out, err = run_cli("\n".join(lines) + "\n", "--jsonl")
    assert err == ""
    assert status == 2
    answers = [json.loads(line) for line in out.splitlines()]
    assert answers[0] == EXPECTED
    assert answers[1]["error"].startswith("invalid JSON")
    # The blank line is skipped, not answered.
    assert answers[2] == {"error": "duration: must be greater than 0"}
    assert answers[3] == EXPECTED
    assert len(answers) == 4


def test_jsonl_with_only_good_lines_exits_0() -> None:
    status, out, _ = run_cli(json.dumps(DOCUMENT) + "\n" + json.dumps(DOCUMENT), "--jsonl")
    assert status == 0
    assert [json.loads(line) for line in out.splitlines()] == [EXPECTED, EXPECTED]


def test_jsonl_with_a_garbage_line() -> None:
    data = json.dumps(DOCUMENT).encode() + b"\n\xc3\x28\n" + json.dumps(DOCUMENT).encode()
    status, out, _ = run_cli(data, "--jsonl")
    assert status == 2
    answers = [json.loads(line) for line in out.splitlines()]
    assert answers == [EXPECTED, {"error": "input is not UTF-8 text"}, EXPECTED]


def test_unknown_option_is_a_json_error_too() -> None:
    status, out, err = run_cli("{}", "--yaml")
    assert (status, err) == (2, "")
    assert json.loads(out)["error"].startswith("usage:")


def test_main_can_run_in_process() -> None:
    stdout = io.StringIO()
    status = main([], io.BytesIO(json.dumps(DOCUMENT).encode()), stdout)
    assert status == 0
    assert json.loads(stdout.getvalue()) == EXPECTED


def test_mangled_documents_never_crash() -> None:
    # Given thousands of random byte-level mutations of a valid document, every answer is
    # either slots (0) or a named error (2) — never an internal error.
    rng = random.Random(20260308)
    text = json.dumps(
        {
            **DOCUMENT,
            "interviewers": [
                {
                    **DOCUMENT["interviewers"][0],
                    "busy": [["2026-03-02T09:30:00Z", "2026-03-02T09:45:00Z"]],
                    "overrides": {"2026-03-02": [["10:00", "24:00"]]},
                    "max_per_day": 1,
                    "interviews": [["2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"]],
                }
            ],
        }
    )
    alphabet = '0123456789:-TZ+"[]{},. nulltruefalse\x00é'
    statuses = set()
    for _ in range(3000):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.4:
                chars[position] = rng.choice(alphabet)
            elif action < 0.7:
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        status, answer = answer_text("".join(chars))
        assert status in (0, 2), answer
        assert ("slots" in answer) == (status == 0)
        statuses.add(status)
    assert statuses == {0, 2}
