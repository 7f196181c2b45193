"""Microsoft 365 (Graph) with Teams, against a fake Microsoft on 127.0.0.1.

Contract tests: sign-in, token expiry and rotated refresh tokens, revoked grants, throttling,
idempotent events (transactionId, uid lookup), getSchedule limits, the personal-account
fallback, subscriptions and delta sync; then the whole app: a booking lands in Outlook, a
reschedule moves the same event, a cancel removes it, and Outlook busy time hides slots.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote
from uuid import UUID

import pytest
import time_machine
from django.utils.timezone import now as django_now

from hireslot.calendars.connections import connection_busy_refresh
from hireslot.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus, OAuthApp
from hireslot.calendars.providers.base import CalendarOwner, EventSpec
from hireslot.calendars.providers.microsoft import (
    MicrosoftCalendarProvider,
    microsoft_authorization_url,
    microsoft_code_exchange,
    microsoft_delta_sync,
    microsoft_notification_accept,
    microsoft_subscription_create,
    microsoft_subscription_renew,
    microsoft_validation_response,
)
from hireslot.calendars.push import push_sync
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    OAuthClient,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from hireslot.scheduling.slots import request_slots
from tests.scheduling.conftest import NOW, company_build

from .microsoft_fake import ACCOUNT, CLIENT_ID, CLIENT_SECRET, FakeMicrosoft, fake_microsoft_serve

APP = OAuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, tenant="organizations")
OWNER = CalendarOwner(user_id=UUID(int=1), email=ACCOUNT, time_zone="America/New_York")
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def interview_spec(**changes: Any) -> EventSpec:
    spec = EventSpec(
        uid="6f1c3a52-9d1e-4a4b-8f0e-3c2b1a0d9e8f@hireslot",
        sequence=0,
        title="Manager Interview: Ada Okafor",
        description="Candidate: Ada Okafor\nInterview template: https://hireslot.example/t/1/",
        location="",
        start=at(3, 15),
        end=at(3, 16),
    )
    return replace(spec, **changes)


class Saved:
    """What the app would have written to the connection row."""

    def __init__(self) -> None:
        self.credentials: list[dict[str, Any]] = []
        self.sync_states: list[dict[str, Any]] = []


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeMicrosoft]:
    for server in fake_microsoft_serve():
        settings.HIRESLOT_MICROSOFT_LOGIN_URL = server.login_url
        settings.HIRESLOT_GRAPH_API_URL = server.graph_url
        yield server


@pytest.fixture
def saved() -> Saved:
    return Saved()


@pytest.fixture
def connection(fake: FakeMicrosoft, saved: Saved) -> Connection:
    return Connection(
        id="conn-1",
        provider="microsoft",
        account=ACCOUNT,
        credentials=fake.grant(),
        client=APP,
        on_credentials=saved.credentials.append,
        on_sync_state=saved.sync_states.append,
    )


@pytest.fixture
def outlook(connection: Connection) -> MicrosoftCalendarProvider:
    return MicrosoftCalendarProvider(connection)


# --- signing in ------------------------------------------------------------------------------


def test_signing_in_with_pkce_names_the_account_and_keeps_a_refresh_token(
    fake: FakeMicrosoft,
) -> None:
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    url = microsoft_authorization_url(
        client=APP,
        redirect_uri="https://hireslot.example/oauth/microsoft/",
        state="st4te",
        code_challenge=challenge.rstrip(b"=").decode(),
    )
    assert url.startswith(f"{fake.login_url}/organizations/oauth2/v2.0/authorize?")
    assert "offline_access" in url and "Calendars.ReadWrite" in url
    code = fake.sign_in(url)

    grant = microsoft_code_exchange(
        client=APP,
        code=code,
        redirect_uri="https://hireslot.example/oauth/microsoft/",
        code_verifier=verifier,
    )

    assert grant.account == ACCOUNT
    assert grant.refresh_token in fake.refresh_tokens


def test_a_code_with_the_wrong_verifier_is_refused(fake: FakeMicrosoft) -> None:
    url = microsoft_authorization_url(
        client=APP, redirect_uri="https://h.example/cb", state="s", code_challenge="c" * 43
    )
    code = fake.sign_in(url)

    with pytest.raises(ConnectionBrokenError, match="reconnect"):
        microsoft_code_exchange(
            client=APP, code=code, redirect_uri="https://h.example/cb", code_verifier="wrong"
        )


# --- tokens and errors ---------------------------------------------------------------------


def test_an_expired_token_is_refreshed_mid_flow_and_each_rotated_refresh_token_is_saved(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, saved: Saved
) -> None:
    first_refresh = outlook.connection.credentials["refresh_token"]
    outlook.event_upsert(owner=OWNER, spec=interview_spec())
    fake.expire_access_tokens()

    outlook.event_upsert(
        owner=OWNER, spec=interview_spec(sequence=1, start=at(3, 17), end=at(3, 18))
    )

    assert len(saved.credentials) == 1
    rotated = saved.credentials[0]["refresh_token"]
    assert rotated != first_refresh and first_refresh not in fake.refresh_tokens
    # The next expiry is survived with the saved token (the spent one would be refused).
    fake.expire_access_tokens()
    assert outlook.busy_read(start=at(3, 0), end=at(4, 0))
    assert saved.credentials[1]["refresh_token"] != rotated
    assert len(fake.events) == 1


def test_a_revoked_grant_breaks_the_connection(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    fake.revoke()

    with pytest.raises(ConnectionBrokenError, match="reconnect"):
        outlook.event_upsert(owner=OWNER, spec=interview_spec())


@pytest.mark.parametrize("status", [429, 503, 504])
def test_throttling_is_retried_later_as_graph_advises(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, status: int
) -> None:
    fake.throttle.append((status, "7"))

    with pytest.raises(TransientProviderError) as raised:
        outlook.busy_read(start=at(3, 0), end=at(4, 0))

    assert raised.value.retry_after == 7
    assert outlook.busy_read(start=at(3, 0), end=at(4, 0)) == []


# --- interview events ----------------------------------------------------------------------


def test_an_event_is_created_once_found_again_by_uid_moved_and_deleted(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    ref = outlook.event_upsert(owner=OWNER, spec=interview_spec())
    again = outlook.event_upsert(owner=OWNER, spec=interview_spec())
    moved = outlook.event_upsert(
        owner=OWNER, spec=interview_spec(sequence=1, start=at(4, 15), end=at(4, 16))
    )

    assert ref == again == moved and ref.provider == "microsoft"
    (event,) = fake.events.values()
    assert (event.start, event.end) == (at(4, 15), at(4, 16))
    assert event.fields["subject"] == "Manager Interview: Ada Okafor"
    assert "attendees" not in event.fields  # HireSlot sends the candidate's invite itself
    posts = fake.calls("POST", "/me/events")
    assert 'outlook.timezone="UTC"' in posts[0].headers["prefer"]
    assert 'IdType="ImmutableId"' in posts[0].headers["prefer"]

    outlook.event_delete(owner=OWNER, uid=interview_spec().uid)
    outlook.event_delete(owner=OWNER, uid=interview_spec().uid)
    assert fake.events == {}


def test_a_stale_retry_does_not_move_a_rescheduled_event_back(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    outlook.event_upsert(
        owner=OWNER, spec=interview_spec(sequence=2, start=at(5, 15), end=at(5, 16))
    )

    outlook.event_upsert(owner=OWNER, spec=interview_spec(sequence=1))

    (event,) = fake.events.values()
    assert event.start == at(5, 15)


def test_a_create_retried_after_a_missed_lookup_leaves_one_event_thanks_to_transaction_id(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = outlook.event_upsert(owner=OWNER, spec=interview_spec())
    # A second worker that looked before the first one's event existed.
    monkeypatch.setattr(MicrosoftCalendarProvider, "_find", lambda self, graph, uid: [])

    second = outlook.event_upsert(owner=OWNER, spec=interview_spec())

    assert second == first
    assert len(fake.calls("POST", "/me/events")) == 2
    assert len(fake.events) == 1


def test_deleting_an_event_someone_already_removed_in_outlook_is_fine(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = outlook.event_upsert(owner=OWNER, spec=interview_spec())
    # The worker found the event just before the person deleted it in Outlook.
    seen = [{"id": ref.event_id}]
    fake.events.pop(ref.event_id)
    monkeypatch.setattr(MicrosoftCalendarProvider, "_find", lambda self, graph, uid: seen)

    outlook.event_delete(owner=OWNER, uid=interview_spec().uid)

    assert fake.calls("DELETE", f"/me/events/{ref.event_id}")


def test_a_teams_event_returns_its_join_link_and_keeps_it_through_a_reschedule(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    ref, join = outlook.teams_event_upsert(owner=OWNER, spec=interview_spec())
    ref2, join2 = outlook.teams_event_upsert(
        owner=OWNER, spec=interview_spec(sequence=1, start=at(4, 15), end=at(4, 16))
    )

    assert join.startswith("https://teams.microsoft.com/l/meetup-join/")
    assert (ref2, join2) == (ref, join)
    (event,) = fake.events.values()
    assert event.fields["onlineMeetingProvider"] == "teamsForBusiness"
    assert join in event.fields["body"]["content"]  # the meeting blob survived the edit
    assert event.start == at(4, 15)


def test_teams_on_an_account_without_it_is_a_clear_permanent_failure(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    fake.personal = True

    with pytest.raises(PermanentProviderError, match="cannot create Teams meetings"):
        outlook.teams_event_upsert(owner=OWNER, spec=interview_spec())
    assert fake.events == {}


# --- busy time -----------------------------------------------------------------------------


def test_busy_time_comes_from_get_schedule_and_marks_hireslot_s_own_event(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    outlook.event_upsert(owner=OWNER, spec=interview_spec())
    fake.add_event(at(3, 15), at(3, 16), subject="Standup at the same time")
    fake.add_event(at(3, 18), at(3, 19), show_as="free", subject="Optional talk")
    fake.add_event(at(3, 20), at(3, 21), show_as="oof")

    blocks = outlook.busy_read(start=at(3, 0), end=at(4, 0))

    assert fake.calls("POST", "/me/calendar/getSchedule")
    assert sorted((b.start, b.end, b.interview_uid) for b in blocks) == [
        (at(3, 15), at(3, 16), ""),
        (at(3, 15), at(3, 16), interview_spec().uid),
        (at(3, 20), at(3, 21), ""),
    ]


def test_get_schedule_is_asked_in_windows_under_62_days_and_20_schedules_at_a_time(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    others = [f"room{n}@contoso.example" for n in range(24)]
    fake.other_busy = {address: [(at(2, 9), at(2, 10))] for address in others}
    fake.other_busy["room23@contoso.example"].append(
        (at(1, 9) + timedelta(days=100), at(1, 10) + timedelta(days=100))
    )
    outlook.connection.busy_calendars = (ACCOUNT, *others)

    blocks = outlook.busy_read(start=at(1, 0), end=at(1, 0) + timedelta(days=130))

    calls = fake.calls("POST", "/me/calendar/getSchedule")
    assert len(calls) == 3 * 2  # three windows, two batches each
    assert all(len(call.body["schedules"]) <= 20 for call in calls)
    assert len(blocks) == 25


def test_a_personal_account_falls_back_to_calendar_view_and_remembers_it(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, saved: Saved
) -> None:
    fake.personal = True
    ref = outlook.event_upsert(owner=OWNER, spec=interview_spec())
    other = fake.add_event(at(3, 9), at(3, 10))
    for hour in (11, 12, 13):  # more than one page
        fake.add_event(at(3, hour), at(3, hour, 30))

    blocks = outlook.busy_read(start=at(3, 0), end=at(4, 0))
    outlook.busy_read(start=at(3, 0), end=at(4, 0))

    by_ref = {block.ref: block for block in blocks}
    assert by_ref[other].interview_uid == ""
    assert by_ref[ref.event_id].interview_uid == interview_spec().uid
    assert len(blocks) == 5
    assert len(fake.calls("POST", "/me/calendar/getSchedule")) == 1
    assert saved.sync_states[-1]["get_schedule"] == "unsupported"


def test_an_unreadable_colleague_calendar_fails_rather_than_showing_free(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    outlook.connection.busy_calendars = (ACCOUNT, "nobody@contoso.example")

    with pytest.raises(PermanentProviderError, match=re.escape("nobody@contoso.example")):
        outlook.busy_read(start=at(3, 0), end=at(4, 0))


def test_calendars_are_listed_with_the_default_one_marked(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    calendars = outlook.calendars_list()

    assert [(c.id, c.primary, c.can_write) for c in calendars] == [
        ("cal-default", True, True),
        ("cal-team", False, False),
    ]


# --- notifications and delta sync ----------------------------------------------------------


def webhook_view(token: str) -> tuple[int, str, str]:
    """What our webhook view does with Graph's validation call."""
    answer = microsoft_validation_response({"validationToken": token})
    return (200, "text/plain; charset=utf-8", answer) if answer else (202, "", "")


def test_a_subscription_passes_validation_checks_client_state_and_renews(
    fake: FakeMicrosoft, connection: Connection
) -> None:
    fake.notification_endpoint = webhook_view

    subscription = microsoft_subscription_create(
        connection=connection, notification_url="https://hireslot.example/hooks/microsoft/"
    )

    assert subscription.id in fake.subscriptions
    event_id = fake.add_event(at(3, 9), at(3, 10))
    body = fake.notification(subscription.id, event_id, "created")
    assert microsoft_notification_accept(body, connection)
    body["value"][0]["clientState"] = "forged"
    assert not microsoft_notification_accept(body, connection)
    assert microsoft_validation_response({}) is None

    renewed = microsoft_subscription_renew(connection=connection)
    assert renewed.id == subscription.id
    assert fake.calls("PATCH", f"/subscriptions/{subscription.id}")
    # Graph forgot it (e.g. removed): renewing makes a new one.
    fake.subscriptions.clear()
    assert microsoft_subscription_renew(connection=connection).id != subscription.id


def test_a_webhook_that_does_not_echo_the_token_gets_no_subscription(
    fake: FakeMicrosoft, connection: Connection
) -> None:
    fake.notification_endpoint = lambda token: (200, "text/plain", "something else")

    with pytest.raises(PermanentProviderError, match="validation"):
        microsoft_subscription_create(
            connection=connection, notification_url="https://hireslot.example/hooks/microsoft/"
        )
    assert "subscription" not in connection.sync_state


def test_delta_sync_keeps_the_delta_link_and_reads_only_changes_next_time(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider, saved: Saved
) -> None:
    with time_machine.travel(NOW, tick=False):
        ref = outlook.event_upsert(owner=OWNER, spec=interview_spec())
        dentist = fake.add_event(at(4, 9), at(4, 10))
        first = microsoft_delta_sync(outlook.connection)
        link = saved.sync_states[-1]["delta"]["link"]

        fake.events.pop(dentist)
        fake.removed.append((fake.version + 1, dentist))
        fake.version += 1
        lunch = fake.add_event(at(5, 12), at(5, 13))
        second = microsoft_delta_sync(outlook.connection)

    assert {b.ref: b.interview_uid for b in first} == {
        ref.event_id: interview_spec().uid,
        dentist: "",
    }
    assert {b.ref for b in second} == {ref.event_id, lunch}
    deltas = fake.calls("GET", "/me/calendarView/delta")
    assert "$deltatoken" not in deltas[0].query
    # The second read went to the saved delta link, which was then replaced by the new one.
    assert unquote(link).split("$deltatoken=")[1] == deltas[1].query["$deltatoken"]
    assert saved.sync_states[-1]["delta"]["link"] != link


# --- through the app -------------------------------------------------------------------------


@pytest.fixture
def app_company(db: None, fake: FakeMicrosoft) -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False):
        company = company_build()
        OAuthApp.objects.create(
            organization=company.organization,
            provider="microsoft",
            client_id=CLIENT_ID,
            secrets={"client_secret": CLIENT_SECRET},
            tenant="organizations",
        )
        row = CalendarConnection.objects.create(
            # Freshly read: a calendar unread for long would make its owner busy.
            last_synced_at=django_now(),
            user=company.interviewer,
            organization=company.organization,
            provider="microsoft",
            account=ACCOUNT,
            credentials={**fake.grant(), "expires_at": 0},  # expired: the first call refreshes
            receives_events=True,
        )
        company.row = row
        yield company


def calendar_effect_run(interview: Interview) -> Effect:
    """What the worker does with the interview's newest calendar step."""
    (effect,) = Effect.objects.filter(
        interview=interview, kind="calendar_event", state=Effect.State.PENDING
    )
    effect_run(effect_id=str(effect.pk))
    effect.refresh_from_db()
    assert effect.state == Effect.State.DONE, effect.last_error
    return effect


def test_a_booking_lands_in_outlook_moves_with_a_reschedule_and_goes_with_a_cancel(
    fake: FakeMicrosoft, app_company: Any
) -> None:
    company = app_company
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="Europe/Paris"
    )

    effect = calendar_effect_run(interview)
    (event,) = fake.events.values()
    assert effect.result_ref == f"microsoft:{event.id}"
    assert (event.start, event.end) == (interview.start, interview.end)
    assert "Ada Okafor" in event.fields["subject"]
    assert "/templates/interviews/" in event.fields["body"]["content"]
    # The rotated refresh token reached the database.
    company.row.refresh_from_db()
    assert company.row.credentials["refresh_token"] in fake.refresh_tokens
    # Read back as busy time, the event is known as this interview's (not counted twice).
    connection_busy_refresh(row=company.row)
    (busy,) = BusyInterval.objects.filter(user=company.interviewer, source="microsoft")
    assert busy.interview_uid == interview.uid

    moved = interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(hours=2),
        actor=company.recruiter,
        by_candidate=False,
    )
    calendar_effect_run(moved)
    assert list(fake.events) == [event.id]
    assert fake.events[event.id].start == TUESDAY_10 + timedelta(hours=2)
    assert len(fake.calls("PATCH", f"/me/events/{event.id}")) == 1

    interview_cancel(interview=moved, actor=company.recruiter, by_candidate=False)
    calendar_effect_run(moved)
    assert fake.events == {}
    assert fake.calls("DELETE", f"/me/events/{event.id}")


def test_busy_time_in_outlook_stops_that_slot_being_offered(
    fake: FakeMicrosoft, app_company: Any
) -> None:
    company = app_company
    request = company.send().request
    wednesday_10 = TUESDAY_10 + timedelta(days=1)
    fake.add_event(wednesday_10, wednesday_10 + timedelta(hours=1), subject="Dentist")

    def offered() -> set[datetime]:
        slots = request_slots(request=request, start=NOW, end=NOW + timedelta(days=3), now=NOW)
        return {slot.start_at for slot in slots}

    with time_machine.travel(NOW, tick=False):
        assert wednesday_10 in offered()
        connection_busy_refresh(row=company.row)
        assert wednesday_10 not in offered()
        assert TUESDAY_10 in offered()
    assert BusyInterval.objects.filter(user=company.interviewer, source="microsoft").count() == 1


def test_a_revoked_grant_marks_the_connection_broken_and_alerts_its_owner(
    fake: FakeMicrosoft, app_company: Any
) -> None:
    company = app_company
    fake.revoke()

    with time_machine.travel(NOW, tick=False), pytest.raises(ConnectionBrokenError):
        connection_busy_refresh(row=company.row)

    company.row.refresh_from_db()
    assert company.row.status == ConnectionStatus.BROKEN
    assert company.row.alerted_at is not None


# --- issue 18: a push replaces only what it read; the fallback cannot stick by accident ----


def test_busy_time_on_a_secondary_calendar_and_a_room_survives_a_push_on_the_primary(
    fake: FakeMicrosoft, app_company: Any
) -> None:
    """Given busy time from the primary calendar, a secondary calendar and a room, when a
    change on the primary calendar is pushed, then the primary's change is applied and the
    secondary calendar's and the room's busy time stay."""
    company = app_company
    fake.other_busy = {"room1@contoso.example": [(at(4, 13), at(4, 14))]}
    company.row.busy_calendars = [ACCOUNT, "cal-team", "room1@contoso.example"]
    company.row.save()
    offsite = fake.add_event(at(4, 9), at(4, 10), calendar="cal-team")
    dentist = fake.add_event(at(4, 11), at(4, 12))
    with time_machine.travel(NOW, tick=False):
        connection_busy_refresh(row=company.row)
        company.row.refresh_from_db()

        fake.remove_event(dentist)
        lunch = fake.add_event(at(5, 12), at(5, 13))
        push_sync(row=company.row)

    busy = {
        (b.start, b.scope, b.source_ref)
        for b in BusyInterval.objects.filter(user=company.interviewer, source="microsoft")
    }
    assert busy == {
        (at(4, 9), "calendar:cal-team", offsite),
        (at(4, 13), "address:room1@contoso.example", ""),
        (at(5, 12), "primary", lunch),
    }


def test_a_push_changes_nothing_when_the_primary_calendar_is_not_counted_as_busy(
    fake: FakeMicrosoft, app_company: Any
) -> None:
    company = app_company
    company.row.busy_calendars = ["cal-team"]
    company.row.save()
    fake.add_event(at(4, 9), at(4, 10), calendar="cal-team")
    with time_machine.travel(NOW, tick=False):
        connection_busy_refresh(row=company.row)
        fake.add_event(at(4, 11), at(4, 12))  # on the primary calendar, not chosen

        push_sync(row=company.row)

    busy = BusyInterval.objects.filter(user=company.interviewer, source="microsoft")
    assert [(b.start, b.scope) for b in busy] == [(at(4, 9), "calendar:cal-team")]


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (400, "ErrorMailboxStoreUnavailable", "The mailbox database is temporarily unavailable."),
        (403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."),
    ],
)
def test_a_failed_get_schedule_of_a_work_account_is_not_taken_for_a_personal_account(
    fake: FakeMicrosoft,
    outlook: MicrosoftCalendarProvider,
    saved: Saved,
    status: int,
    code: str,
    message: str,
) -> None:
    """Given a work account with a room among its busy calendars, when one getSchedule call
    fails for another reason, then that read fails and the next one uses getSchedule again
    (with the room), instead of switching to the personal-account fallback for good."""
    fake.other_busy = {"room1@contoso.example": [(at(3, 13), at(3, 14))]}
    outlook.connection.busy_calendars = (ACCOUNT, "room1@contoso.example")
    fake.schedule_failures = [(status, code, message)] * 2  # the batch, then the own address

    with pytest.raises((TransientProviderError, PermanentProviderError)):
        outlook.busy_read(start=at(3, 0), end=at(4, 0))
    blocks = outlook.busy_read(start=at(3, 0), end=at(4, 0))

    assert "get_schedule" not in outlook.connection.sync_state
    assert not any(state.get("get_schedule") for state in saved.sync_states)
    assert [(b.start, b.scope) for b in blocks] == [(at(3, 13), "address:room1@contoso.example")]


def test_a_remembered_personal_account_is_probed_again_a_day_later(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    fake.personal = True
    with time_machine.travel(NOW, tick=False):
        outlook.busy_read(start=at(3, 0), end=at(4, 0))
        outlook.busy_read(start=at(3, 0), end=at(4, 0))
    assert len(fake.calls("POST", "/me/calendar/getSchedule")) == 1
    assert outlook.connection.sync_state["get_schedule"] == "unsupported"

    # It was a work account after all (or became one): the next day's probe finds out.
    fake.personal = False
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        outlook.busy_read(start=at(3, 0), end=at(4, 0))

    assert len(fake.calls("POST", "/me/calendar/getSchedule")) == 2
    assert "get_schedule" not in outlook.connection.sync_state


def test_a_distribution_list_cannot_push_a_get_schedule_batch_past_20_schedules(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    """Given 12 rooms and a list of 15 people among the busy calendars (28 schedules as Graph
    counts them, in one batch of 14 addresses), when busy time is read, then Graph's refusal
    splits the batch until each part fits and every schedule's busy time arrives."""
    rooms = [f"room{n}@contoso.example" for n in range(12)]
    people = [f"person{n}@contoso.example" for n in range(15)]
    fake.other_busy = {address: [(at(3, 9), at(3, 10))] for address in rooms + people}
    fake.groups = {"interviewers@contoso.example": people}
    outlook.connection.busy_calendars = (ACCOUNT, *rooms, "interviewers@contoso.example")

    blocks = outlook.busy_read(start=at(3, 0), end=at(4, 0))

    assert len(blocks) == 12 + 15
    assert sum(b.scope == "address:interviewers@contoso.example" for b in blocks) == 15
    calls = fake.calls("POST", "/me/calendar/getSchedule")
    counted = [sum(len(fake.groups.get(a, [a])) for a in call.body["schedules"]) for call in calls]
    # 28 refused, then halves of 7 and 21 (refused), then halves of that one: 3 and 18.
    assert counted == [28, 7, 21, 3, 18]


# --- issue 18: lifecycle notifications, delta pages without transactionId ------------------


def test_delta_rows_have_no_transaction_id_and_many_pages_still_find_interview_events(
    fake: FakeMicrosoft, outlook: MicrosoftCalendarProvider
) -> None:
    """Given more changed events than are read one by one, over several delta pages, when
    delta sync runs, then HireSlot's interview event is still known by its uid."""
    with time_machine.travel(NOW, tick=False):
        ref = outlook.event_upsert(owner=OWNER, spec=interview_spec())
        others = {fake.add_event(at(4, h), at(4, h, 30)) for h in range(8, 20)}

        blocks = microsoft_delta_sync(outlook.connection)

    assert len(fake.calls("GET", "/me/calendarView/delta")) > 1  # paged
    assert {b.ref: b.interview_uid for b in blocks} == {
        ref.event_id: interview_spec().uid,
        **dict.fromkeys(others, ""),
    }
