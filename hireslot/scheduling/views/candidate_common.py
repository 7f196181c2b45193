"""What every candidate view needs: the link's request, the zone, the language and clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext

from hireslot.core.languages import (
    CANDIDATE_LANGUAGES,
    formatting_locale,
    is_right_to_left,
    language_choose,
    language_normalize,
)
from hireslot.core.request_input import EARLIEST_DAY, LATEST_DAY, BadInputError
from hireslot.core.time_text import HOUR_CYCLES, HourCycle
from hireslot.core.timezones import is_known_time_zone, zone_canonical
from hireslot.scheduling.candidate_pages import brand_colors
from hireslot.scheduling.links import request_for_token
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.selectors import default_zone

LANGUAGE_COOKIE = "hireslot_language"
LANGUAGE_COOKIE_DAYS = 365


def request_or_404(token: str) -> SchedulingRequest:
    request = request_for_token(token)
    if request is None:
        raise Http404("This scheduling link is not valid.")
    return request


def zone_of(value: object, request: SchedulingRequest) -> str:
    """The zone asked for (today's name for a retired alias such as Asia/Calcutta), or the
    candidate's or organization's when none was."""
    if not value:
        return default_zone(request)
    if not isinstance(value, str):
        raise BadInputError(gettext("“tz” must be a time zone name like Europe/London."))
    if not is_known_time_zone(value):
        raise BadInputError(
            gettext("“%(zone)s” is not a known time zone; use a name like Europe/London.")
            % {"zone": value[:64]}
        )
    return zone_canonical(value) or value


def day_of(value: str | None, field: str) -> date:
    if not value:
        raise BadInputError(
            gettext("“%(field)s” is required, as a date like 2026-03-02.") % {"field": field}
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInputError(
            gettext("“%(field)s” must be a date like 2026-03-02.") % {"field": field}
        ) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        # Far dates would overflow date arithmetic; nothing can be booked there anyway.
        raise BadInputError(
            gettext("“%(field)s” must be a date between %(first)s and %(last)s.")
            % {"field": field, "first": EARLIEST_DAY, "last": LATEST_DAY}
        )
    return day


def hour_cycle_param(value: object) -> HourCycle | None:
    """The clock the candidate chose on the booker ("h12"/"h23"); anything else: the locale's."""
    for cycle in HOUR_CYCLES:
        if value == cycle:
            return cycle
    return None


@dataclass(frozen=True)
class Reader:
    """Who reads the page: the language it is written in and the locale times are in."""

    language: str
    locale: str
    chosen: str  # a language picked with the switcher now (to remember in a cookie)


def reader_of(http: HttpRequest, request: SchedulingRequest | None) -> Reader:
    """The page's language: the switcher's choice (now or remembered), else the one the
    recruiter set for the candidate, else the browser's, else English."""
    chosen = language_normalize(http.GET.get("lang", ""))
    remembered = http.COOKIES.get(LANGUAGE_COOKIE, "")
    accept = http.headers.get("Accept-Language", "")
    language = language_choose(
        chosen=chosen or remembered,
        preferred=request.application.candidate.language if request else "",
        accept_language=accept,
    )
    return Reader(
        language=language,
        locale=formatting_locale(language, accept_language=accept),
        chosen=chosen,
    )


def remember_language(response: HttpResponse, reader: Reader) -> HttpResponse:
    return language_cookie_set(response, reader.chosen)


def language_cookie_set(response: HttpResponse, chosen: str) -> HttpResponse:
    """Remember a language picked with the switcher (``chosen``; nothing when empty)."""
    if chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=LANGUAGE_COOKIE_DAYS * 86400,
            path="/s/",
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response


def page_render(
    http: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    request: SchedulingRequest,
    reader: Reader,
    status: int = 200,
) -> HttpResponse:
    """Render a candidate page in the brand and the reader's language (the caller holds
    ``translation.override``)."""
    organization = request.organization
    context = {
        **context,
        "organization": organization,
        "brand": brand_colors(organization.accent_color),
        "language": reader.language,
        "rtl": is_right_to_left(reader.language),
        "languages": CANDIDATE_LANGUAGES,
        "favicon": static("hireslot/favicon.svg"),
    }
    return remember_language(render(http, template, context, status=status), reader)
