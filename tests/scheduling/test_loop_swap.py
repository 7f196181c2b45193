"""Issue 14: a recruiter swapping a later session's pool seat updates what the candidate's
calendar shows (the loop's one event: a new invite, same UID, next SEQUENCE, the new person in
the agenda), and a swap that takes away the person whose calendar event made a Meet link
makes the steps carrying that link wait for the new host's, so nobody is sent a dead link."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hireslot.accounts.models import User
from hireslot.messaging.models import OutgoingEmail
from hireslot.scheduling.models import Effect, Interview, InterviewLoop, LoopConference
from hireslot.scheduling.services import effect_run, interview_book, scheduling_request_send
from hireslot.scheduling.services.booking import loop_session_swap

from .conftest import Company
from .loop_company import TUESDAY_10, LoopCompany, loop_company_build, loop_steps_run
from .test_network_conferencing import google  # noqa: F401  (the fake, Nora's calendar)


def loop_booked(company: Company) -> tuple[LoopCompany, Interview]:
    loop = loop_company_build(company)
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    interview_book(request=sent.request, start=TUESDAY_10, candidate_time_zone="UTC")
    technical = InterviewLoop.objects.get().interviews.get(loop_position=1)
    return loop, technical


def unfolded(ics: str) -> str:
    return ics.replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")


def invites_after_the_first() -> list[str]:
    """The candidate's invites with a SEQUENCE above the first's (the clock stands still in
    these tests, so creation times do not order them)."""
    found = [
        unfolded(e.calendar_ics) for e in OutgoingEmail.objects.filter(kind="interview_invite")
    ]
    return sorted(
        (ics for ics in found if int(re.findall(r"SEQUENCE:(\d+)", ics)[0]) > 0),
        key=lambda ics: int(re.findall(r"SEQUENCE:(\d+)", ics)[0]),
    )


def other_engineer(loop: LoopCompany, technical: Interview) -> User:
    drawn = technical.assignment[0]["user_id"]
    return next(user for user in loop.engineers if str(user.pk) != drawn)


def test_swapping_a_later_seat_sends_the_candidate_the_loops_invite_again(
    company: Company,
) -> None:
    # Given a booked loop whose candidate has one event for the whole loop
    loop, technical = loop_booked(company)
    loop_steps_run(technical.loop_id)
    (first,) = OutgoingEmail.objects.filter(kind="interview_invite")
    swapped_in = other_engineer(loop, technical)
    assert swapped_in.get_full_name() not in unfolded(first.calendar_ics)

    # When the recruiter gives the Technical seat to the other engineer
    loop_session_swap(interview=technical, user=swapped_in, actor=company.recruiter)
    loop_steps_run(technical.loop_id)

    # Then the candidate's one event is sent again: same UID, next SEQUENCE, the new name
    first_ics = unfolded(first.calendar_ics)
    later = invites_after_the_first()
    assert len(later) == 1
    uid = re.search(r"UID:(\S+)", first_ics)
    assert uid is not None and f"UID:{uid.group(1)}" in later[0]
    sequences = [int(re.findall(r"SEQUENCE:(\d+)", ics)[0]) for ics in (first_ics, later[0])]
    assert sequences[1] == sequences[0] + 1
    assert swapped_in.get_full_name() in later[0]


def google_connect(fake: Any, user: User) -> None:
    from tests.calendars.test_google import google_account_connect

    fake.account_add(user.email)
    organization_id = user.memberships.get().organization_id
    google_account_connect(fake, user=user, organization_id=organization_id, account=user.email)


@pytest.mark.usefixtures("google")
def test_a_swap_that_takes_away_the_meet_host_waits_for_the_new_hosts_link(
    company: Company, request: pytest.FixtureRequest
) -> None:
    fake_google: Any = request.getfixturevalue("google")
    # Given a loop with a Meet link per session, whose people all have Google Calendar
    loop = loop_company_build(company)
    for person in [*loop.engineers, loop.sam]:
        google_connect(fake_google, person)
    loop.template.conferencing = "google_meet"
    loop.template.loop_conference = LoopConference.PER_SESSION
    loop.template.save()
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    interview_book(request=sent.request, start=TUESDAY_10, candidate_time_zone="UTC")
    technical = InterviewLoop.objects.get().interviews.get(loop_position=1)
    assert "failed" not in loop_steps_run(technical.loop_id)
    technical.refresh_from_db()
    old_link = technical.conference_url
    assert old_link.startswith("https://meet.google.com/")

    # When the recruiter swaps the engineer who hosts it, and the invite's step runs first
    loop_session_swap(
        interview=technical, user=other_engineer(loop, technical), actor=company.recruiter
    )
    pending = Effect.objects.filter(interview__loop_id=technical.loop_id, state="pending")
    invite = pending.get(kind="candidate_invite")
    effect_run(effect_id=str(invite.pk))

    # Then nothing is sent with the link of the event being deleted: it waits
    assert invites_after_the_first() == []
    # And once every step has run (the waiting invite again), the new host's event made a
    # new link that all carry
    loop_steps_run(technical.loop_id)
    loop_steps_run(technical.loop_id)
    technical.refresh_from_db()
    assert technical.conference_url.startswith("https://meet.google.com/")
    assert technical.conference_url != old_link
    (latest,) = invites_after_the_first()
    assert technical.conference_url in latest and old_link not in latest
