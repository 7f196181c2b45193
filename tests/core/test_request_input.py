"""What a client posts is read within bounds: a body too big or nested too deep, or a time far
from now, is a 400 with a message, never a RecursionError or an OverflowError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import RequestFactory

from hireslot.core.request_input import (
    JSON_MAX_DEPTH,
    BadInputError,
    instant_in_range,
    instant_parse,
    json_depth,
    json_object_read,
)


def posted(body: bytes | str) -> object:
    return RequestFactory().post("/", data=body, content_type="application/json")


def test_a_plain_object_reads_and_an_empty_body_is_an_empty_object() -> None:
    assert json_object_read(posted('{"start": "2026-03-03T15:00:00Z", "tz": "UTC"}')) == {
        "start": "2026-03-03T15:00:00Z",
        "tz": "UTC",
    }
    assert json_object_read(posted(b"")) == {}


def test_nesting_deeper_than_the_limit_is_refused_before_decoding() -> None:
    deep = "[" * 20_000 + "]" * 20_000  # 40 KB: under the size cap

    with pytest.raises(BadInputError, match="nests deeper than 32 levels"):
        json_object_read(posted('{"start": ' + deep + "}"))


def test_nesting_up_to_the_limit_is_read() -> None:
    inner = "[" * (JSON_MAX_DEPTH - 1) + "]" * (JSON_MAX_DEPTH - 1)

    assert json_depth(('{"a": ' + inner + "}").encode()) == JSON_MAX_DEPTH
    assert "a" in json_object_read(posted('{"a": ' + inner + "}"))


def test_brackets_inside_strings_do_not_count() -> None:
    assert json_depth(b'{"a": "[[[[[[[[[[\\"{{{{{{{{"}') == 1
    assert json_object_read(posted('{"reason": "' + "[" * 1000 + '"}'))["reason"] == "[" * 1000


def test_a_body_too_big_is_refused_unread() -> None:
    with pytest.raises(BadInputError, match="larger than 64 KB"):
        json_object_read(posted('{"reason": "' + "x" * 70_000 + '"}'))


@pytest.mark.parametrize(
    ("body", "message"),
    [("{", "not valid JSON"), ("[1, 2]", "must be a JSON object"), (b"\xff\xfe{", "not valid")],
)
def test_malformed_bodies_say_what_is_wrong(body: str | bytes, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        json_object_read(posted(body))


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:30:00+00:00",
        "9999-12-31T23:59:59-12:00",
        "1899-12-31T23:59:59Z",
    ],
)
def test_times_far_from_now_are_refused_as_not_offered(text: str) -> None:
    with pytest.raises(BadInputError, match="not one of the offered times"):
        instant_parse(text)


def test_a_time_reads_as_utc() -> None:
    assert instant_parse("2026-03-03T10:00:00-05:00") == datetime(2026, 3, 3, 15, tzinfo=UTC)
    with pytest.raises(BadInputError, match="needs a time zone"):
        instant_parse("2026-03-03T10:00:00")
    with pytest.raises(BadInputError, match="must be an instant"):
        instant_parse("yesterday")
    with pytest.raises(BadInputError, match="missing"):
        instant_parse(["2026-03-03T10:00:00Z"])


def test_range_checks_never_overflow() -> None:
    far = datetime.max.replace(tzinfo=timezone(timedelta(hours=-23)))
    early = datetime.min.replace(tzinfo=timezone(timedelta(hours=23)))

    assert not instant_in_range(far)
    assert not instant_in_range(early)
    assert instant_in_range(datetime(2026, 3, 3, tzinfo=UTC))
