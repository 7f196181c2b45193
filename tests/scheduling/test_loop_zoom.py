"""Issue 14: a Zoom loop with one link for the whole loop has ONE meeting, from the loop's
first start to its last end, made by its first Zoom session, carried by every session, moved
on reschedule and deleted once on cancel (against the local Zoom fake)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hireslot.scheduling.models import Effect, LoopConference
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_send,
)
from tests.conferencing.zoom_fake import ZoomFake

from .conftest import Company
from .loop_company import TUESDAY_10, loop_company_build, loop_sessions, loop_steps_run
from .test_network_conferencing import zoom  # noqa: F401  (the Zoom fake and Nora's account)

LOOP_MINUTES = 195  # 10:00 to 13:15


@pytest.mark.usefixtures("zoom")
def test_one_zoom_meeting_spans_the_loop_moves_with_it_and_is_deleted_once(
    company: Company, request: pytest.FixtureRequest
) -> None:
    fake: ZoomFake = request.getfixturevalue("zoom")
    loop = loop_company_build(company)
    loop.template.conferencing = "zoom"
    loop.template.loop_conference = LoopConference.SHARED
    loop.template.save()
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    first = interview_book(request=sent.request, start=TUESDAY_10, candidate_time_zone="UTC")
    assert Effect.objects.filter(interview__loop_id=first.loop_id, kind="conference").count() == 1

    assert "failed" not in loop_steps_run(first.loop_id)
    (meeting,) = fake.meetings.values()
    assert meeting["start_time"] == "2026-03-03T15:00:00Z"
    assert meeting["duration"] == LOOP_MINUTES
    links = {(s.conference_id, s.conference_url) for s in loop_sessions(first.loop_id)}
    assert len(links) == 1 and next(iter(links))[1].startswith("https://zoom.us/j/")

    interview_reschedule(
        interview=first, start=TUESDAY_10 + timedelta(days=1), actor=None, by_candidate=True
    )
    assert "failed" not in loop_steps_run(first.loop_id)
    (meeting,) = fake.meetings.values()
    assert meeting["start_time"] == "2026-03-04T15:00:00Z"
    assert {(s.conference_id, s.conference_url) for s in loop_sessions(first.loop_id)} == links

    interview_cancel(interview=first, actor=company.recruiter, by_candidate=False)
    loop_steps_run(first.loop_id)
    assert fake.meetings == {}
    assert len(fake.api_calls("DELETE")) == 1
    assert len(fake.api_calls("POST")) == 1
