"""The pages people see when something fails (400, 403, 404, 410, 500, 503): one
self-contained template, in the reader's language and, when known, the organization's brand.

Rendered without the request (no context processor, no session, no user, nothing that reads
the database), so the same function serves the 500 handler during an outage. Styles are
inline in the page (under the response's CSP nonce) rather than in the site's stylesheets:
the page does not depend on other pages' CSS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hireslot.core.languages import DEFAULT_LANGUAGE, is_right_to_left, language_choose

HIRESLOT_ACCENT = "#1d4ed8"  # the favicon's blue; white text on it reads at 6.7:1


class PageBrand(Protocol):
    """What an error page shows of an organization (``accounts.branding.Brand`` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def accent(self) -> str: ...
    @property
    def accent_text(self) -> str: ...
    @property
    def logo_path(self) -> str: ...


@dataclass(frozen=True)
class _HireSlotBrand:
    name: str = "HireSlot"
    accent: str = HIRESLOT_ACCENT
    accent_text: str = "#ffffff"
    logo_path: str = ""


HIRESLOT = _HireSlotBrand()


@dataclass(frozen=True)
class ErrorText:
    title: str | Promise
    message: str | Promise


# Candidates read these (translated); the recruiter workspace shows the same in English.
BAD_REQUEST = ErrorText(
    _("This request could not be understood"),
    _("Something in the address or the form was not as expected. Please go back and try again."),
)
FORBIDDEN = ErrorText(
    _("You cannot open this page"),
    _(
        "This page is not available to you. If you think it should be, ask whoever sent "
        "you the link."
    ),
)
CSRF_FAILED = ErrorText(
    _("Please try again"),
    _(
        "The page was open for too long or your browser blocked a cookie this form needs. "
        "Go back, reload the page and try again."
    ),
)
NOT_FOUND = ErrorText(
    _("Page not found"),
    _(
        "There is no page at this address. Please check the link: it may have been cut "
        "short or mistyped."
    ),
)
LINK_NOT_FOUND = ErrorText(
    _("This link does not work"),
    _(
        "We could not find a scheduling page at this address. Please open the link from your "
        "email again, or copy all of it into the address bar: it may have been cut short."
    ),
)
GONE = ErrorText(
    _("This page is no longer available"),
    _("What was here has been removed or has expired."),
)
SERVER_ERROR = ErrorText(
    _("Something went wrong"),
    _("Something went wrong on our side, and we have been told. Please try again later."),
)
UNAVAILABLE = ErrorText(
    _("HireSlot is briefly unavailable"),
    _("We cannot reach our database right now. Please try again in a minute."),
)


def is_candidate_path(request: HttpRequest) -> bool:
    """Candidates' pages live under /s/<token>; everything else is the team's (English)."""
    return request.path.startswith("/s/")


def page_language(request: HttpRequest, *, preferred: str = "") -> str:
    """The candidate's language (``preferred``: what the recruiter set, else the browser's);
    English on the team's pages."""
    if not is_candidate_path(request):
        return DEFAULT_LANGUAGE
    return language_choose(
        preferred=preferred, accept_language=request.headers.get("Accept-Language", "")
    )


def error_page_render(
    request: HttpRequest,
    *,
    status: int,
    text: ErrorText,
    language: str = DEFAULT_LANGUAGE,
    brand: PageBrand | None = None,
    detail: str | Promise = "",
    home_url: str = "",
) -> HttpResponse:
    """The error page as a response. ``detail`` is one more sentence (already worded for the
    reader); ``home_url`` adds a link back (the team's home page; never for candidates, whose
    only way in is their link)."""
    brand = brand or HIRESLOT
    with translation.override(language):
        html = loader.get_template("core/error_page.html").render(
            {
                "language": language,
                "direction": "rtl" if is_right_to_left(language) else "ltr",
                "title": str(text.title),
                "message": str(text.message),
                "detail": str(detail),
                "home_url": home_url,
                "brand": brand,
                "is_hireslot": brand is HIRESLOT,
                "nonce": getattr(request, "csp_nonce", ""),
            }
        )
    response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response
