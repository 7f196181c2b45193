"""The shape of a button that asks a service to act: run the service, flash why it refused
or what it did, and send the person on to the next page (Post/Redirect/Get)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hireslot.core.errors import HireSlotError

Result = TypeVar("Result")


def service_action(
    request: HttpRequest,
    service: Callable[[], Result],
    *,
    redirect_to: str,
    success: str | Callable[[Result], str] = "",
    success_redirect_to: Callable[[Result], str] | None = None,
) -> HttpResponse:
    """Run ``service``; a refusal (``HireSlotError``) is flashed as an error, anything else
    propagates. ``success`` is flashed when it worked (made from the service's result when
    it needs it; nothing when empty). Both outcomes redirect to ``redirect_to`` (a URL),
    except that a success goes to ``success_redirect_to(result)`` when given, for pages
    about what the service just made."""
    try:
        result = service()
    except HireSlotError as error:
        messages.error(request, error.message)
        return redirect(redirect_to)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    if success_redirect_to is not None:
        return redirect(success_redirect_to(result))
    return redirect(redirect_to)


def confirmation_page(
    request: HttpRequest, *, question: str, yes: str, back: str
) -> HttpResponse | None:
    """A destructive POST goes ahead only once confirmed. The page's dialog (workspace.js)
    asks and adds ``confirmed=1``; without JavaScript, this page asks the same question and
    posts the same fields again. None when confirmed."""
    if request.POST.get("confirmed") == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in values
    ]
    return render(
        request,
        "web/confirm.html",
        {"question": question, "yes": yes, "fields": fields, "action": request.path, "back": back},
    )
