"""Consequences that call providers (calendars, video meetings): run outside transactions."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.conf import settings
from django.db.models import Q

from hireslot.accounts.models import User
from hireslot.calendars.connections import event_provider_for
from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.providers import CalendarOwner, EventSpec
from hireslot.conferencing.connections import zoom_connection_mark_broken, zoom_connection_view
from hireslot.conferencing.models import ZoomConnection
from hireslot.conferencing.providers import (
    ConferencingKind,
    Meeting,
    MeetingSpec,
    conferencing_provider,
)
from hireslot.core.remote import (
    ConnectionBrokenError,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.core.work import work_enqueue
from hireslot.scheduling.conference import CALENDAR_LINK_KINDS, NETWORK_KINDS, conference_host
from hireslot.scheduling.models import Effect, Interview, LoopConference
from hireslot.scheduling.slots import availability_of


def _event_description(interview: Interview) -> str:
    application = interview.application
    candidate = application.candidate
    template_link = (
        f"{settings.HIRESLOT_BASE_URL}/templates/interviews/{interview.interview_template_id}/"
    )
    lines = [
        f"Candidate: {candidate.name} <{candidate.email}>",
        f"Job: {application.job.title}",
        f"Interview template: {template_link}",
    ]
    if interview.conference_url:
        lines.append(f"Join: {interview.conference_url}")
    if interview.conference_details:
        lines.append(interview.conference_details)
    lines.append(f"Reschedule or cancel: {settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/")
    return "\n".join(lines)


class LinkPendingError(TransientProviderError):
    """This effect carries the video link, which another effect is still making."""


def loop_meeting_lead_id(interview: Interview, *, shared: bool | None = None) -> UUID | None:
    """For a session of a loop with one link for the whole loop whose link needs the network
    (Zoom, Google Meet, Teams): the session whose effect makes that one link — the loop's first
    session of its kind (a Zoom meeting spanning the loop; a Meet or Teams link with that
    session's host event). None otherwise. ``shared``: the template's choice, when known."""
    if interview.loop_id is None or interview.conference_kind not in NETWORK_KINDS:
        return None
    if shared is None:
        shared = interview.request.template.loop_conference == LoopConference.SHARED
    if not shared:
        return None
    lead: UUID | None = (
        Interview.objects.filter(
            loop_id=interview.loop_id, conference_kind=interview.conference_kind
        )
        .order_by("loop_position")
        .values_list("pk", flat=True)
        .first()
    )
    return lead


def _link_sharers(interview: Interview, *, shared: bool | None = None) -> list[Interview]:
    """Who carries the link ``interview``'s effect has just made: the interview, or, when it
    leads a loop with one link, every session of the loop with the same kind of link."""
    lead = loop_meeting_lead_id(interview, shared=shared)
    if interview.loop_id is None or lead != interview.pk:
        return [interview]
    return list(
        Interview.objects.filter(
            loop_id=interview.loop_id, conference_kind=interview.conference_kind
        ).order_by("loop_position")
    )


def link_host_keep(
    interview: Interview, *, interviewers: Sequence[User], shared: bool
) -> tuple[User | None, list[Interview]]:
    """Who hosts ``interview``'s network link from now on: whoever made the current one, while
    they still interview (a move keeps the link); else the first able
    (``conference_host``). When the person whose calendar event made a Meet or Teams link has
    left (a seat drawn again or swapped), that event is being deleted and the link with it:
    it is forgotten here and on every session sharing it, so each step that carries it waits
    for the new host's instead of sending a dead one. Also answers the other sessions whose
    link was forgotten: their events must be synced again to carry the new one."""
    kind = interview.conference_kind
    maker_id = None
    if interview.conference_url and kind in NETWORK_KINDS:
        maker_id = (
            Effect.objects.filter(interview=interview)
            .filter(Q(kind=Effect.Kind.CONFERENCE) | Q(payload__hosts_conference=True))
            .order_by("-created_at")
            .values_list("user_id", flat=True)
            .first()
        )
    kept = next((user for user in interviewers if user.pk == maker_id), None)
    if kept is not None:
        return kept, []
    others: list[Interview] = []
    if maker_id is not None and kind in CALENDAR_LINK_KINDS:
        for session in _link_sharers(interview, shared=shared):
            _link_save(session, url="", meeting_id="", details="")
            if session.pk != interview.pk and session.status == Interview.Status.SCHEDULED:
                others.append(session)
        _link_save(interview, url="", meeting_id="", details="")
    return conference_host(kind=kind, interviewers=interviewers), others


def link_required(effect: Effect) -> Interview:
    """The interview with its video link; waits (LinkPendingError) while another effect is
    making it, and fails when that effect failed."""
    interview = effect.interview
    if interview.conference_kind not in NETWORK_KINDS or effect.action == Effect.Action.CANCEL:
        return interview
    fresh = Interview.objects.filter(pk=interview.pk).values(
        "conference_url", "conference_id", "conference_details"
    )[0]
    if fresh["conference_url"]:
        interview.conference_url = fresh["conference_url"]
        interview.conference_id = fresh["conference_id"]
        interview.conference_details = fresh["conference_details"]
        return interview
    # A loop's one link is made by the effect of its first session of that kind.
    maker_id = loop_meeting_lead_id(interview) or interview.pk
    makers = Effect.objects.filter(interview_id=maker_id, action=effect.action).filter(
        Q(kind=Effect.Kind.CONFERENCE) | Q(payload__hosts_conference=True)
    )
    label = ConferencingKind(interview.conference_kind).label
    if not makers.exists():
        # Nobody could host it when it was booked (per-session links, a session whose people
        # have no such calendar or Zoom connected).
        raise PermanentProviderError(
            f"No {label} link: none of this interview's interviewers could host it when it "
            "was booked; connect one's account (Calendars and video) and move the interview, "
            "or change its conferencing."
        )
    if makers.filter(state=Effect.State.FAILED).exists():
        raise PermanentProviderError(
            f"No {label} link: making it failed (see that step); retry it, then this one."
        )
    raise LinkPendingError("Waiting for the video link.", retry_after=5.0)


def _links_wake(interview: Interview, *, but: Effect) -> None:
    """The link exists now: run the effects that were waiting for it at once (a loop's one
    invite, which lists every session's link, sits on its first session)."""
    carries = Q(interview=interview)
    if interview.loop_id is not None:
        carries |= Q(interview__loop_id=interview.loop_id, kind=Effect.Kind.CANDIDATE_INVITE)
    waiting = (
        Effect.objects.filter(carries)
        .filter(state__in=[Effect.State.PENDING, Effect.State.RETRYING])
        .exclude(pk=but.pk)
    )
    for effect_id in waiting.values_list("pk", flat=True):
        work_enqueue("effect_execute", effect_id=str(effect_id))


def _link_save(interview: Interview, *, url: str, meeting_id: str, details: str) -> None:
    Interview.objects.filter(pk=interview.pk).update(
        conference_url=url[:500], conference_id=meeting_id[:200], conference_details=details[:500]
    )
    interview.conference_url, interview.conference_id = url, meeting_id
    interview.conference_details = details


def _owner(user: User) -> CalendarOwner:
    # The effect's user was read with their settings (no query here).
    zone = availability_of(user).time_zone or "UTC"
    return CalendarOwner(user_id=user.pk, email=user.email, time_zone=zone)


def calendar_sync(effect: Effect) -> str:
    """Make the interviewer's calendar match the interview as it is now (so effects that run
    late or twice still converge). The host's event also makes a Meet or Teams link."""
    user = effect.user
    if user is None:
        raise PermanentProviderError("The calendar effect names no interviewer.")
    hosts = bool(effect.payload.get("hosts_conference"))
    interview = effect.interview if hosts else link_required(effect)
    owner = _owner(user)
    provider = event_provider_for(owner)
    holds = interview.bookings.filter(interviewer=user, active=True).exists()
    if not (interview.status == Interview.Status.SCHEDULED and holds):
        provider.event_delete(owner=owner, uid=interview.uid)
        return "removed"
    candidate = interview.application.candidate
    spec = EventSpec(
        uid=interview.uid,
        sequence=interview.sequence,
        title=f"{interview.interview_template.name}: {candidate.name}",
        description=_event_description(interview),
        location=interview.conference_url or interview.conference_details,
        start=interview.start,
        end=interview.end,
        conference_kind=interview.conference_kind,
    )
    kind = interview.conference_kind
    if hosts and kind in CALENDAR_LINK_KINDS:
        # The host's calendar event carries the link: their calendar must be one that makes
        # this kind (not the built-in calendar they fall back to when theirs broke).
        if provider.conference_link_kind != kind:
            calendar = CalendarConnection.Provider(NETWORK_KINDS[kind].calendar).label
            raise PermanentProviderError(
                f"{ConferencingKind(kind).label} links need "
                f"{user.get_full_name()}'s {calendar} connected for interview events."
            )
        ref, link = provider.conference_event_upsert(owner=owner, spec=spec)
        if not link:
            raise TransientProviderError("The video link is still being created.", retry_after=10)
        if link != interview.conference_url:
            for session in _link_sharers(interview):
                _link_save(session, url=link, meeting_id=ref.event_id, details="")
                _links_wake(session, but=effect)
        return f"{ref.provider}:{ref.event_id}"
    ref = provider.event_upsert(owner=owner, spec=spec)
    return f"{ref.provider}:{ref.event_id}"


def conference_sync(effect: Effect) -> str:
    """Make the host's Zoom meeting match the interview: create it once (its id saved the
    moment Zoom answers), move it on reschedule, delete it on cancel."""
    interview = Interview.objects.select_related(
        "interview_template", "application__candidate", "loop", "request__template"
    ).get(pk=effect.interview_id)
    host = effect.user
    row = (
        ZoomConnection.objects.filter(user=host, status=ConnectionStatus.ACTIVE)
        .select_related("organization")
        .first()
        if host is not None
        else None
    )
    if row is None:
        raise PermanentProviderError(
            "No interviewer with a working Zoom connection can host this meeting; connect Zoom "
            "(Calendars and video), then retry."
        )
    provider = conferencing_provider(ConferencingKind.ZOOM, connection=zoom_connection_view(row))
    saved = Meeting(
        provider="zoom",
        join_url=interview.conference_url,
        meeting_id=interview.conference_id,
        details=interview.conference_details,
    )
    candidate = interview.application.candidate.name
    loop = interview.loop if loop_meeting_lead_id(interview) == interview.pk else None
    if loop is not None:
        # One link for the whole loop: one meeting from its first start to its last end.
        spec = MeetingSpec(
            key=str(loop.pk),
            topic=f"{loop.name}: {candidate}",
            start=loop.start,
            duration_minutes=int((loop.end - loop.start).total_seconds() // 60),
            host_email=row.user.email,
        )
    else:
        spec = MeetingSpec(
            key=str(interview.pk),
            topic=f"{interview.interview_template.name}: {candidate}",
            start=interview.start,
            duration_minutes=int((interview.end - interview.start).total_seconds() // 60),
            host_email=row.user.email,
        )
    try:
        if interview.status == Interview.Status.CANCELLED:
            if saved.meeting_id:
                provider.meeting_delete(meeting=saved)
            return "deleted"
        if saved.meeting_id:
            meeting = provider.meeting_update(meeting=saved, spec=spec)
        else:
            meeting = provider.meeting_create(spec=spec)
    except ConnectionBrokenError as error:
        zoom_connection_mark_broken(row=row, error=str(error))
        raise
    for session in _link_sharers(interview):
        _link_save(
            session, url=meeting.join_url, meeting_id=meeting.meeting_id, details=meeting.details
        )
        _links_wake(session, but=effect)
    return f"zoom:{meeting.meeting_id}"
