"""Issue 14: a loop with one Google Meet or Teams link for the whole loop has it made ONCE, by
the host event of its first session of that kind; every session's events and the candidate's
one invite carry that link, a move keeps it, a cancel removes the events. With one link per
session, a session none of whose people can host says so (against the local Google and
Microsoft fakes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireslot.messaging.models import OutgoingEmail
from hireslot.scheduling.models import Effect, Interview, LoopConference
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_send,
)

from .conftest import Company
from .loop_company import (
    TUESDAY_10,
    LoopCompany,
    loop_company_build,
    loop_sessions,
    loop_steps_run,
)
from .test_network_conferencing import google, microsoft  # noqa: F401  (fakes, Nora's calendar)


def loop_booked(company: Company, kind: str, conference: str) -> tuple[LoopCompany, Interview]:
    loop = loop_company_build(company)
    loop.template.conferencing = kind
    loop.template.loop_conference = conference
    loop.template.save()
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    first = interview_book(request=sent.request, start=TUESDAY_10, candidate_time_zone="UTC")
    return loop, first


def events(fake_google: Any) -> list[dict[str, Any]]:
    """Nora's Google Calendar events, as the fake holds them."""
    found: list[dict[str, Any]] = fake_google.events_of(fake_google.account)
    return found


def invite_text() -> str:
    invite = OutgoingEmail.objects.get(kind="interview_invite")
    return invite.calendar_ics.replace("\r\n ", "")


@pytest.mark.usefixtures("google")
def test_one_meet_link_made_by_the_first_sessions_host_reaches_every_session(
    company: Company, request: pytest.FixtureRequest
) -> None:
    fake_google: Any = request.getfixturevalue("google")
    # Given a loop whose only Google Calendar is Nora's (Intro and Wrap-up), with one link
    fake_google.meet_pending_reads = 1  # Google answers "pending" once, then "success"
    _, first = loop_booked(company, "google_meet", LoopConference.SHARED)
    hosts = Effect.objects.filter(interview__loop_id=first.loop_id, payload__hosts_conference=True)
    assert [effect.interview.loop_position for effect in hosts] == [0]

    # When every step runs (the first pass meets the pending link)
    loop_steps_run(first.loop_id)
    outcomes = loop_steps_run(first.loop_id)

    # Then one Meet was made, by the Intro event alone; every session carries its link, and
    # Nora's Wrap-up event shows it as Google's own Join button too (copied, not made again)
    assert "failed" not in outcomes
    made = [e for e in events(fake_google) if "createRequest" in e.get("conferenceData", {})]
    assert [event["summary"].split(":")[0] for event in made] == ["Intro"]
    link = made[0]["hangoutLink"]
    assert {event.get("hangoutLink") for event in events(fake_google)} == {link}
    assert {session.conference_url for session in loop_sessions(first.loop_id)} == {link}
    # And the candidate's one invite gives that link (the agenda's sessions all share it)
    assert link in invite_text()

    # When the candidate moves the loop, the link stays; a cancel removes Nora's events
    interview_reschedule(
        interview=first, start=TUESDAY_10 + timedelta(days=1), actor=None, by_candidate=True
    )
    assert "failed" not in loop_steps_run(first.loop_id)
    assert {session.conference_url for session in loop_sessions(first.loop_id)} == {link}
    assert {event.get("hangoutLink") for event in events(fake_google)} == {link}
    interview_cancel(interview=first, actor=company.recruiter, by_candidate=False)
    loop_steps_run(first.loop_id)
    assert [event for event in events(fake_google) if event.get("status") != "cancelled"] == []


@pytest.mark.usefixtures("microsoft")
def test_one_teams_link_made_by_the_first_sessions_host_reaches_every_session(
    company: Company, request: pytest.FixtureRequest
) -> None:
    fake_microsoft: Any = request.getfixturevalue("microsoft")
    # Given a loop whose only Outlook calendar is Nora's, with one Teams link for the loop
    _, first = loop_booked(company, "teams", LoopConference.SHARED)

    # When every step runs
    outcomes = loop_steps_run(first.loop_id)

    # Then exactly one Teams meeting was made, and every session and the invite carry it
    assert "failed" not in outcomes
    online = [e for e in fake_microsoft.events.values() if e.fields.get("onlineMeeting")]
    assert len(online) == 1
    link = online[0].fields["onlineMeeting"]["joinUrl"]
    assert {session.conference_url for session in loop_sessions(first.loop_id)} == {link}
    assert link in invite_text()


@pytest.mark.usefixtures("google")
def test_per_session_links_say_which_session_nobody_can_host(company: Company) -> None:
    # Given the same loop with one Meet link per session: only Nora can host
    _, first = loop_booked(company, "google_meet", LoopConference.PER_SESSION)

    # When every step runs
    loop_steps_run(first.loop_id)

    # Then Nora's sessions have their own links, and the Technical and Systems steps fail
    # saying nobody could host them (not that making a link failed)
    by_position = {s.loop_position: s.conference_url for s in loop_sessions(first.loop_id)}
    assert by_position[0] and by_position[3] and by_position[0] != by_position[3]
    assert by_position[1] == by_position[2] == ""
    failed = Effect.objects.filter(
        interview__loop_id=first.loop_id, state=Effect.State.FAILED, kind="calendar_event"
    )
    assert {effect.interview.loop_position for effect in failed} == {1, 2}
    assert all("could host it" in effect.last_error for effect in failed)


@pytest.mark.usefixtures("google")
def test_swapping_the_host_of_a_shared_meet_link_gives_every_session_the_new_one(
    company: Company, request: pytest.FixtureRequest
) -> None:
    from hireslot.scheduling.services.booking import loop_session_swap

    from .test_loop_swap import google_connect, other_engineer

    fake_google: Any = request.getfixturevalue("google")
    # Given a loop whose Intro is on Jitsi and whose later sessions share one Meet link, made
    # by the Technical session's engineer (both engineers have Google Calendar)
    loop = loop_company_build(company)
    for engineer in loop.engineers:
        google_connect(fake_google, engineer)
    loop.template.loop_sessions.filter(position=0).update(conferencing="jitsi")
    loop.template.conferencing = "google_meet"
    loop.template.loop_conference = LoopConference.SHARED
    loop.template.save()
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    first = interview_book(request=sent.request, start=TUESDAY_10, candidate_time_zone="UTC")
    assert "failed" not in loop_steps_run(first.loop_id)
    technical = loop_sessions(first.loop_id)[1]
    old_link = technical.conference_url
    assert {s.conference_url for s in loop_sessions(first.loop_id)[1:]} == {old_link}

    # When the recruiter gives the Technical seat to the other engineer
    loop_session_swap(
        interview=technical, user=other_engineer(loop, technical), actor=company.recruiter
    )
    loop_steps_run(first.loop_id)
    loop_steps_run(first.loop_id)

    # Then the later sessions all carry the new host's link, and so does Nora's Wrap-up event
    new_link = loop_sessions(first.loop_id)[1].conference_url
    assert new_link.startswith("https://meet.google.com/") and new_link != old_link
    assert {s.conference_url for s in loop_sessions(first.loop_id)[1:]} == {new_link}
    (wrap_up,) = [e for e in events(fake_google) if e.get("summary", "").startswith("Wrap-up")]
    assert new_link in wrap_up.get("location", "") + wrap_up.get("description", "")
    assert old_link not in wrap_up.get("location", "") + wrap_up.get("description", "")
