"""Who may reach the recruiter's side of shared availability and coordinator scheduling:
an outsider is sent to sign in, an interviewer is refused, a member of another organization
guessing ids gets a 404; nothing is written, and no one of those sees the no-fit
explanation (which names interviewers and why they are blocked)."""

from __future__ import annotations

from django.test import Client

from hireslot.scheduling.models import Interview, RequestEvent, SchedulingRequest
from tests.scheduling.conftest import Company, company_build
from tests.web.test_availability_review import FITS, TOO_EARLY, logged_in, shared

START = "2026-03-03T15:00:00Z"


def recruiter_urls(company: Company, request: SchedulingRequest) -> list[tuple[str, str]]:
    application, template = company.application.pk, company.template.pk
    return [
        ("get", f"/requests/{request.pk}/availability/"),
        ("post", f"/requests/{request.pk}/book/"),
        ("get", f"/applications/{application}/schedule/"),
        (
            "get",
            f"/applications/{application}/schedule/{template}/slots/?from=2026-03-03&to=2026-03-09",
        ),
        ("post", f"/applications/{application}/schedule/book/"),
    ]


def attempt(client: Client, method: str, url: str, company: Company) -> int:
    if method == "get":
        return client.get(url).status_code
    body = {"start": START, "confirmed": "1", "template": str(company.template.pk)}
    return client.post(url, body).status_code


def test_an_outsider_is_sent_to_sign_in_and_nothing_is_booked(company: Company) -> None:
    request = shared(company, FITS)
    outsider = Client()

    for method, url in recruiter_urls(company, request):
        response = getattr(outsider, method)(url, {"start": START, "confirmed": "1"})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url

    assert not Interview.objects.exists()
    assert SchedulingRequest.objects.get().status == "availability_received"


def test_an_interviewer_is_refused_every_recruiter_action(company: Company) -> None:
    request = shared(company, FITS)
    client = Client()
    client.force_login(company.interviewer)

    for method, url in recruiter_urls(company, request):
        assert attempt(client, method, url, company) == 403, url

    assert not Interview.objects.exists()
    assert SchedulingRequest.objects.count() == 1


def test_an_interviewer_does_not_see_who_blocks_a_window_on_the_candidate_page(
    company: Company,
) -> None:
    # Given a candidate whose only window is before Nora's working day
    request = shared(company, TOO_EARLY)
    recruiter_page = logged_in(company).get(f"/candidates/{company.candidate.pk}/")
    assert "outside working hours" in recruiter_page.content.decode()

    # When an interviewer opens the candidate's page and Home
    client = Client()
    client.force_login(company.interviewer)
    page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    home = client.get("/").content.decode()

    # Then neither shows the explanation, the candidate's windows or a booking form
    for text in (page, home):
        assert "outside working hours" not in text
        assert "Evenings please" not in text
        assert f"/requests/{request.pk}/book/" not in text
        assert f"/requests/{request.pk}/availability/" not in text


def test_another_organizations_member_gets_404s_and_nothing_is_written(
    company: Company,
) -> None:
    # Given a request with shared availability at Acme, and a recruiter of Globex
    request = shared(company, FITS)
    other = company_build("globex")
    client = logged_in(other)

    # When they try Acme's ids on every new page and action
    for method, url in recruiter_urls(company, request):
        assert attempt(client, method, url, company) == 404, url

    # Then nothing was booked or written at Acme
    assert not Interview.objects.exists()
    assert SchedulingRequest.objects.get().status == "availability_received"
    assert not RequestEvent.objects.filter(kind="scheduled").exists()


def test_another_organizations_template_cannot_schedule_our_candidate(company: Company) -> None:
    # Given a Globex template id, which an Acme recruiter should not be able to use
    other = company_build("globex")
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/schedule/"

    slots = client.get(
        f"{url}{other.template.pk}/slots/", {"from": "2026-03-03", "to": "2026-03-09"}
    )
    booked = client.post(f"{url}book/", {"start": START, "template": str(other.template.pk)})

    assert slots.status_code == 404
    assert booked.status_code == 400
    assert "Choose a self-schedule template" in booked.content.decode()
    assert not SchedulingRequest.objects.exists()
    assert not Interview.objects.exists()


def test_bad_input_to_the_recruiter_actions_is_a_400_not_a_500(company: Company) -> None:
    request = shared(company, FITS)
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/schedule/"

    cases = [
        client.post(f"/requests/{request.pk}/book/", {"start": "yesterday", "confirmed": "1"}),
        client.post(f"/requests/{request.pk}/book/", {"start": "9999-12-31T23:00:00-05:00"}),
        client.get(f"{url}{company.template.pk}/slots/", {"from": "soon", "to": "later"}),
    ]

    assert [response.status_code for response in cases] == [400, 400, 400]
    assert not Interview.objects.exists()


def test_unknown_and_malformed_ids_are_404s(company: Company) -> None:
    client = logged_in(company)

    for url in (
        "/requests/not-a-uuid/availability/",
        "/requests/00000000-0000-0000-0000-000000000000/availability/",
        "/applications/not-a-uuid/schedule/",
        f"/applications/{company.application.pk}/schedule/not-a-uuid/slots/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_unknown_candidate_zone_is_refused_when_scheduling_directly(company: Company) -> None:
    client = logged_in(company)

    response = client.post(
        f"/applications/{company.application.pk}/schedule/book/",
        {"start": START, "template": str(company.template.pk), "candidate_time_zone": "Mars/X"},
    )

    assert response.status_code == 400
    assert not SchedulingRequest.objects.exists()
    assert not Interview.objects.exists()
