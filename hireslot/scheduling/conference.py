"""Which video link an interview gets, and whether it can be made.

Jitsi and phone links need no network: the booking makes them in its own transaction. Zoom
meetings are made by a conference effect on the host's Zoom account; Google Meet and Teams
links come with the host's calendar event (Google Calendar or Microsoft 365: the calendar
adapter whose ``conference_link_kind`` it is). Until such a link exists, the other effects
that carry it (events, the candidate's invite) wait for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hireslot.accounts.models import AvailabilitySettings, Organization, User
from hireslot.calendars.models import CalendarConnection, ConnectionStatus, OAuthApp
from hireslot.conferencing.connections import zoom_host_for
from hireslot.conferencing.providers import (
    ConferencingKind,
    ConferencingNotAvailable,
    conferencing_provider_class,
)

LOCAL_KINDS = frozenset({ConferencingKind.JITSI, ConferencingKind.PHONE})


class NetworkKind(NamedTuple):
    app: str  # the OAuth app that must be installed
    calendar: str  # the kind of calendar connection whose events make the link, or ""


NETWORK_KINDS: dict[str, NetworkKind] = {
    ConferencingKind.ZOOM: NetworkKind(app="zoom", calendar=""),
    ConferencingKind.GOOGLE_MEET: NetworkKind(app="google", calendar="google"),
    ConferencingKind.TEAMS: NetworkKind(app="microsoft", calendar="microsoft"),
}
# Links made by the host's calendar event rather than by a conferencing provider.
CALENDAR_LINK_KINDS = frozenset(kind for kind, made in NETWORK_KINDS.items() if made.calendar)


def conference_kind_problem(*, kind: str, organization: Organization) -> str | None:
    """Why links of ``kind`` cannot be offered by this organization (None: they can)."""
    if kind not in CALENDAR_LINK_KINDS:
        # Made by a conferencing provider: only kinds the server's settings offer.
        try:
            conferencing_provider_class(kind)
        except ConferencingNotAvailable as error:
            return str(error)
    if kind in NETWORK_KINDS:
        app = NETWORK_KINDS[kind].app
        if not OAuthApp.objects.filter(organization=organization, provider=app).exists():
            return (
                f"{ConferencingKind(kind).label} is not set up for {organization.name} yet; an "
                "administrator can install it under Settings → Integrations."
            )
    return None


def conference_host(*, kind: str, interviewers: Sequence[User]) -> User | None:
    """Who hosts a network meeting: the first interviewer (fixed order) able to."""
    if kind == ConferencingKind.ZOOM:
        row = zoom_host_for(interviewers)
        return row.user if row else None
    if kind in NETWORK_KINDS:
        provider = NETWORK_KINDS[kind].calendar
        hosts = set(
            CalendarConnection.objects.filter(
                user__in=interviewers,
                provider=provider,
                receives_events=True,
                status=ConnectionStatus.ACTIVE,
            ).values_list("user_id", flat=True)
        )
        return next((user for user in interviewers if user.pk in hosts), None)
    return None


def phone_number_for(*, template_number: str, interviewers: Sequence[User]) -> str:
    """The template's number, else the first interviewer's own (fixed order)."""
    if template_number.strip():
        return template_number.strip()
    numbers = dict(
        AvailabilitySettings.objects.filter(user__in=interviewers)
        .exclude(phone_number="")
        .values_list("user_id", "phone_number")
    )
    return next((numbers[user.pk] for user in interviewers if user.pk in numbers), "")


def conference_problem(
    *,
    kind: str,
    organization: Organization,
    interviewers: Sequence[User],
    phone_number: str = "",
) -> str | None:
    """Why a request with these interviewers could not get its link (None: it can)."""
    if kind == ConferencingKind.PHONE:
        if not phone_number_for(template_number=phone_number, interviewers=interviewers):
            return (
                "Phone interviews need a number: set one on the template or in an "
                "interviewer's My Settings."
            )
        return None
    problem = conference_kind_problem(kind=kind, organization=organization)
    if problem or kind not in NETWORK_KINDS:
        return problem
    if conference_host(kind=kind, interviewers=interviewers) is None:
        if kind == ConferencingKind.ZOOM:
            return "Zoom meetings need an interviewer with Zoom connected (Calendars and video)."
        calendar = CalendarConnection.Provider(NETWORK_KINDS[kind].calendar).label
        return (
            f"{ConferencingKind(kind).label} links come with the host's calendar event: one "
            f"interviewer needs {calendar} connected for interview events."
        )
    return None
