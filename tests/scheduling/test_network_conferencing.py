"""Zoom interviews end to end: the meeting is made once on the host's account, the events and
the candidate's invite wait for its link and then carry it, a reschedule moves the same
meeting, a cancel deletes it; a broken Zoom connection fails visibly and alerts its owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils.timezone import now as django_now

from hireslot.calendars.models import CalendarEvent, ConnectionStatus
from hireslot.calendars.services import oauth_app_save
from hireslot.conferencing.models import ZoomConnection
from hireslot.conferencing.services import zoom_connection_save
from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import Notification, OutgoingEmail
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from tests.conferencing.zoom_fake import ZoomFake

from .conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def zoom(settings: Any, company: Company) -> Iterator[ZoomFake]:
    fake = ZoomFake(email="nora@zoom.example").start()
    settings.HIRESLOT_ZOOM_AUTH_URL = fake.authorize_url
    settings.HIRESLOT_ZOOM_TOKEN_URL = fake.token_url
    settings.HIRESLOT_ZOOM_API_URL = fake.api_url
    oauth_app_save(
        organization=company.organization,
        provider="zoom",
        client_id=fake.client_id,
        client_secret=fake.client_secret,
    )
    grant = fake.grant()
    zoom_connection_save(
        user=company.interviewer,
        organization=company.organization,
        account="nora@zoom.example",
        credentials={
            "access_token": grant["access_token"],
            "refresh_token": grant["refresh_token"],
            "expires_at": 4_000_000_000.0,
            "scope": grant.get("scope", ""),
        },
    )
    company.template.conferencing = "zoom"
    company.template.save()
    yield fake
    fake.stop()


def run(interview: Interview, *kinds: str) -> list[str]:
    effects = Effect.objects.filter(interview=interview).order_by("created_at")
    if kinds:
        effects = effects.filter(kind__in=kinds)
    return [effect_run(effect_id=str(effect.pk)) for effect in effects]


def test_the_zoom_link_is_made_once_and_every_effect_carries_it(
    company: Company, zoom: ZoomFake
) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    assert interview.conference_url == ""  # made by the worker, not the booking

    # The invite and the event wait for the link rather than going out without it.
    assert run(interview, "candidate_invite", "calendar_event") == ["retrying", "retrying"]
    assert not OutgoingEmail.objects.filter(kind="interview_invite").exists()

    assert run(interview, "conference") == ["done"]
    run(interview)

    interview.refresh_from_db()
    (meeting,) = zoom.meetings.values()
    assert interview.conference_url == meeting["join_url"]
    assert interview.conference_id == str(meeting["id"])
    invite = OutgoingEmail.objects.get(kind="interview_invite")
    assert interview.conference_url in invite.calendar_ics.replace("\r\n ", "")
    event = CalendarEvent.objects.get(owner=company.interviewer)
    assert event.location == interview.conference_url
    assert set(Effect.objects.values_list("state", flat=True)) == {"done"}

    # Running the conference effect again makes no second meeting.
    Effect.objects.filter(kind="conference").update(state="pending")
    run(interview, "conference")
    assert len(zoom.meetings) == 1


def test_reschedule_moves_the_same_meeting_and_cancel_deletes_it(
    company: Company, zoom: ZoomFake
) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    run(interview)
    interview.refresh_from_db()
    meeting_id, link = interview.conference_id, interview.conference_url

    moved = interview_reschedule(
        interview=interview, start=TUESDAY_10 + timedelta(days=1), actor=None, by_candidate=True
    )
    run(moved)
    moved.refresh_from_db()
    assert (moved.conference_id, moved.conference_url) == (meeting_id, link)
    (meeting,) = zoom.meetings.values()
    assert meeting["start_time"] == "2026-03-04T15:00:00Z"

    interview_cancel(interview=moved, actor=company.recruiter, by_candidate=False)
    run(moved)
    assert zoom.meetings == {}
    methods = sorted(
        OutgoingEmail.objects.filter(kind="interview_invite").values_list(
            "calendar_method", flat=True
        )
    )
    assert methods == ["CANCEL", "REQUEST", "REQUEST"]


def test_a_revoked_zoom_fails_visibly_and_alerts_the_host(company: Company, zoom: ZoomFake) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    zoom.revoke()
    zoom.expire_access_tokens()
    ZoomConnection.objects.update(credentials={"access_token": "dead", "refresh_token": "dead"})

    assert run(interview, "conference") == ["failed"]
    # What waited for the link now says why there is none.
    assert run(interview, "candidate_invite") == ["failed"]
    invite = Effect.objects.get(kind="candidate_invite")
    assert "No Zoom link" in invite.last_error
    row = ZoomConnection.objects.get()
    assert row.status == ConnectionStatus.BROKEN
    assert Notification.objects.filter(
        recipient=company.interviewer, verb__startswith="Your Zoom connection stopped"
    ).exists()
    assert Interview.objects.get(pk=interview.pk).status == "scheduled"  # the booking stands


def test_zoom_without_a_connected_host_is_explained_before_sending(
    company: Company, zoom: ZoomFake
) -> None:
    ZoomConnection.objects.all().delete()

    with pytest.raises(HireSlotError, match="need an interviewer with Zoom connected"):
        company.send()


def test_zoom_taken_out_of_the_setting_is_not_offered(
    company: Company, zoom: ZoomFake, settings: Any
) -> None:
    """Zoom comes from HIRESLOT_CONFERENCING_PROVIDERS like Jitsi and phone: a server that
    leaves it out refuses Zoom interviews before anything is sent, app installed or not."""
    settings.HIRESLOT_CONFERENCING_PROVIDERS = {
        kind: path
        for kind, path in settings.HIRESLOT_CONFERENCING_PROVIDERS.items()
        if kind != "zoom"
    }

    with pytest.raises(HireSlotError, match="Zoom is not connected for this organization yet"):
        company.send()


@pytest.fixture
def google(settings: Any, company: Company) -> Iterator[Any]:
    from tests.calendars.google_fake import fake_google_running
    from tests.calendars.test_google import ACCOUNT, CLIENT, google_account_connect

    with fake_google_running() as fake:
        fake.client_add(CLIENT.client_id, CLIENT.client_secret)
        fake.account_add(ACCOUNT)
        settings.HIRESLOT_GOOGLE_AUTH_URL = f"{fake.base_url}/o/oauth2/v2/auth"
        settings.HIRESLOT_GOOGLE_TOKEN_URL = f"{fake.base_url}/token"
        settings.HIRESLOT_GOOGLE_REVOKE_URL = f"{fake.base_url}/revoke"
        settings.HIRESLOT_GOOGLE_API_URL = f"{fake.base_url}/calendar/v3"
        oauth_app_save(
            organization=company.organization,
            provider="google",
            client_id=CLIENT.client_id,
            client_secret=CLIENT.client_secret,
        )
        google_account_connect(
            fake,
            user=company.interviewer,
            organization_id=company.organization.pk,
            account=ACCOUNT,
        )
        company.template.conferencing = "google_meet"
        company.template.save()
        fake.account = ACCOUNT
        yield fake


def test_a_google_meet_link_comes_with_the_hosts_event_and_reaches_the_candidate(
    company: Company, google: Any
) -> None:
    google.meet_pending_reads = 1  # Google says "pending" once, then "success"
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )

    run(interview, "candidate_invite")
    assert not OutgoingEmail.objects.filter(kind="interview_invite").exists()
    run(interview, "calendar_event")
    run(interview, "calendar_event", "candidate_invite")

    interview.refresh_from_db()
    assert interview.conference_url.startswith("https://meet.google.com/")
    (event,) = google.events_of(google.account)
    assert event["hangoutLink"] == interview.conference_url
    invite = OutgoingEmail.objects.get(kind="interview_invite")
    assert interview.conference_url in invite.calendar_ics.replace("\r\n ", "")


@pytest.fixture
def microsoft(settings: Any, company: Company) -> Iterator[Any]:
    from hireslot.calendars.models import CalendarConnection
    from tests.calendars.microsoft_fake import (
        ACCOUNT,
        CLIENT_ID,
        CLIENT_SECRET,
        fake_microsoft_serve,
    )

    for fake in fake_microsoft_serve():
        settings.HIRESLOT_MICROSOFT_LOGIN_URL = fake.login_url
        settings.HIRESLOT_GRAPH_API_URL = fake.graph_url
        oauth_app_save(
            organization=company.organization,
            provider="microsoft",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tenant="organizations",
        )
        CalendarConnection.objects.create(
            user=company.interviewer,
            organization=company.organization,
            provider="microsoft",
            account=ACCOUNT,
            credentials=fake.grant(),
            receives_events=True,
            last_synced_at=django_now(),
        )
        company.template.conferencing = "teams"
        company.template.save()
        yield fake


def test_a_teams_link_comes_with_the_hosts_outlook_event_and_survives_a_reschedule(
    company: Company, microsoft: Any
) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )

    run(interview, "candidate_invite")
    assert not OutgoingEmail.objects.filter(kind="interview_invite").exists()
    run(interview, "calendar_event")
    run(interview, "candidate_invite")

    interview.refresh_from_db()
    assert interview.conference_url.startswith("https://teams.microsoft.com/")
    assert len(microsoft.events) == 1
    invite = OutgoingEmail.objects.get(kind="interview_invite")
    assert interview.conference_url in invite.calendar_ics.replace("\r\n ", "")

    moved = interview_reschedule(
        interview=interview, start=TUESDAY_10 + timedelta(days=1), actor=None, by_candidate=True
    )
    run(moved)
    moved.refresh_from_db()
    assert moved.conference_url == interview.conference_url
    assert len(microsoft.events) == 1
