"""The one shape of a service button (hireslot.web.actions.service_action): a refusal is
flashed as an error, a success as a success, and the person is redirected either way."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import RequestFactory

from hireslot.core.errors import HireSlotError, PlanRequiredError
from hireslot.web.actions import service_action


def _request() -> HttpRequest:
    request = RequestFactory().post("/anything/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _flashed(request: HttpRequest) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in messages.get_messages(request)]


def _refuse() -> None:
    raise PlanRequiredError("Your plan does not include self-scheduling.")


def test_a_refusal_is_flashed_as_an_error_and_redirects_to_the_page() -> None:
    request = _request()

    response = service_action(
        request,
        _refuse,
        success="Done.",
        redirect_to="/jobs/1/",
        success_redirect_to=lambda _: "/never/",
    )

    assert response.status_code == 302
    assert response["Location"] == "/jobs/1/"
    assert _flashed(request) == [(messages.ERROR, "Your plan does not include self-scheduling.")]


def test_a_success_is_flashed_and_redirects_to_the_page() -> None:
    request = _request()
    calls: list[str] = []

    response = service_action(
        request, lambda: calls.append("ran"), success="Sent again.", redirect_to="/candidates/7/"
    )

    assert calls == ["ran"]
    assert response.status_code == 302
    assert response["Location"] == "/candidates/7/"
    assert _flashed(request) == [(messages.SUCCESS, "Sent again.")]


def test_the_success_message_and_next_page_can_come_from_the_result() -> None:
    request = _request()

    response = service_action(
        request,
        lambda: 42,
        success=lambda made: f"Made {made}.",
        redirect_to="/jobs/1/",
        success_redirect_to=lambda made: f"/bulk/{made}/",
    )

    assert response["Location"] == "/bulk/42/"
    assert _flashed(request) == [(messages.SUCCESS, "Made 42.")]


def test_without_a_success_message_nothing_is_flashed() -> None:
    request = _request()

    response = service_action(request, lambda: None, redirect_to="/")

    assert response["Location"] == "/"
    assert _flashed(request) == []


def test_anything_but_a_refusal_is_not_swallowed() -> None:
    def broken() -> None:
        raise RuntimeError("a bug, not a refusal")

    with pytest.raises(RuntimeError):
        service_action(_request(), broken, success="Done.", redirect_to="/")


def test_a_plain_refusal_keeps_its_message() -> None:
    request = _request()

    def refuse() -> None:
        raise HireSlotError("This request was already answered.")

    service_action(request, refuse, success="Dismissed.", redirect_to="/")

    assert _flashed(request) == [(messages.ERROR, "This request was already answered.")]
