"""Issue 17: no-shows counted in the load report, per interviewer (the interviews they sat in)
and per job (interviews held and no-shows), on the page and in the CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from hireslot.scheduling.load_report import load_report, load_report_csv_rows
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.services.no_shows import interview_no_show_mark

from .conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
AFTER = TUESDAY_10 + timedelta(days=1)


def test_a_candidate_no_show_counts_for_the_interviewer_and_the_job(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    with time_machine.travel(TUESDAY_10 + timedelta(hours=1), tick=False):
        interview_no_show_mark(
            interview=interview, who="candidate", note="Never joined", actor=company.recruiter
        )

    report = load_report(organization=company.organization, now=AFTER)

    row = next(row for row in report.rows if row.user == company.interviewer)
    assert (row.candidate_no_shows, row.interviewer_no_shows) == (1, 0)
    other = next(row for row in report.rows if row.user == company.recruiter)
    assert (other.candidate_no_shows, other.interviewer_no_shows) == (0, 0)
    [job] = report.jobs
    assert (job.title, job.interviews, job.no_shows, job.candidate_no_shows) == (
        company.application.job.title,
        1,
        1,
        1,
    )
    csv_rows = load_report_csv_rows(report)
    assert csv_rows[0][-2:] == ["candidate_no_shows", "interviewer_no_shows"]
    assert [line[-2:] for line in csv_rows if line[1] == company.interviewer.email] == [["1", "0"]]

    with time_machine.travel(AFTER, tick=False):
        client = Client()
        client.force_login(company.recruiter)
        page = client.get(reverse("web:pool-load"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Candidate no-shows" in html and "No-shows by job" in html
    assert company.application.job.title in html.split("No-shows by job")[1]


def test_an_interview_still_to_come_is_not_held(company: Company) -> None:
    interview_book(request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC")

    report = load_report(organization=company.organization, now=TUESDAY_10 - timedelta(hours=1))

    assert report.jobs == []
