"""The recruiter's side of shared availability: the windows in the recruiter's zone, the
times that fit best first, booked with one confirmed click from the candidate page or Home;
or, when none fits, who blocks which window (issue 16)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from hireslot.scheduling.models import Interview, RequestEvent, SchedulingRequest
from hireslot.scheduling.services.availability import candidate_availability_submit
from tests.scheduling.conftest import Company

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def shared(company: Company, *windows: tuple[datetime, datetime]) -> SchedulingRequest:
    request = company.send().request
    candidate_availability_submit(
        request=request, time_zone="Asia/Tokyo", windows=list(windows), note="Evenings please"
    )
    return SchedulingRequest.objects.get(pk=request.pk)


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


# Wednesday 4 March 00:00–02:00 in Tokyo is Tuesday 3 March 10:00–12:00 in New York.
FITS = (datetime(2026, 3, 4, 0, tzinfo=TOKYO), datetime(2026, 3, 4, 2, tzinfo=TOKYO))
# Tuesday 3 March 20:00–22:00 in Tokyo is 06:00–08:00 in New York: before Nora's day.
TOO_EARLY = (datetime(2026, 3, 3, 20, tzinfo=TOKYO), datetime(2026, 3, 3, 22, tzinfo=TOKYO))


def test_the_candidate_page_shows_the_best_times_in_my_zone_and_the_candidates(
    company: Company,
) -> None:
    shared(company, FITS)
    page = logged_in(company).get(f"/candidates/{company.candidate.pk}/").content.decode()

    assert "Availability received: Manager Interview" in page
    assert "Times that fit everyone" in page
    # Earliest first, in New York, the candidate's Tokyo reading beside it.
    first = page.index("Tue 3 Mar, 10:00 – 10:45")
    assert first < page.index("Tue 3 Mar, 10:30 – 11:15")
    assert "Wed 4 Mar, 00:00 – 00:45 for the candidate" in page
    assert "Evenings please" in page
    assert 'value="2026-03-03T15:00:00Z"' in page


def test_one_confirmed_click_books_it_as_the_recruiter(company: Company) -> None:
    request = shared(company, FITS)
    client = logged_in(company)
    url = f"/requests/{request.pk}/book/"

    unconfirmed = client.post(url, {"start": "2026-03-03T15:00:00Z"})
    assert unconfirmed.status_code == 200 and "Book Manager Interview for Ada Okafor" in (
        unconfirmed.content.decode()
    )
    assert not Interview.objects.exists()

    response = client.post(url, {"start": "2026-03-03T15:00:00Z", "confirmed": "1"}, follow=True)

    interview = Interview.objects.get()
    assert response.redirect_chain == [(f"/interviews/{interview.pk}/", 302)]
    assert interview.candidate_time_zone == "Asia/Tokyo"
    assert SchedulingRequest.objects.get(pk=request.pk).status == "scheduled"
    assert RequestEvent.objects.get(request=request, kind="scheduled").actor == company.recruiter


def test_a_time_no_longer_offered_is_refused_on_the_review_page(company: Company) -> None:
    request = shared(company, FITS)
    response = logged_in(company).post(
        f"/requests/{request.pk}/book/", {"start": "2026-03-03T15:07:00Z", "confirmed": "1"}
    )
    assert response.status_code == 400
    assert "not one of the offered times" in response.content.decode()
    assert "Times that fit everyone" in response.content.decode()
    assert not Interview.objects.exists()


def test_when_nothing_fits_the_page_names_the_blocking_interviewer_and_nearest_times(
    company: Company,
) -> None:
    request = shared(company, TOO_EARLY)
    page = logged_in(company).get(f"/requests/{request.pk}/availability/").content.decode()

    assert "No time fits everyone inside the candidate" in page
    assert "Nora Alvarez is outside working hours." in page
    assert "Tue 3 Mar, 09:00 – 09:45" in page  # the nearest time after the window
    assert "Tue 3 Mar, 06:00 – 08:00" in page  # the window, in New York


def test_home_lists_shared_availability_with_the_best_time_to_book(company: Company) -> None:
    request = shared(company, FITS)
    page = logged_in(company).get("/").content.decode()

    assert "Availability received" in page
    assert "Tue 3 Mar, 10:00 – 10:45" in page
    assert f'action="/requests/{request.pk}/book/"' in page
    assert f'href="/requests/{request.pk}/availability/"' in page


def test_an_interviewer_cannot_book_or_review(company: Company) -> None:
    request = shared(company, FITS)
    client = Client()
    client.force_login(company.interviewer)
    assert client.get(f"/requests/{request.pk}/availability/").status_code == 403
    booked = client.post(
        f"/requests/{request.pk}/book/", {"start": "2026-03-03T15:00:00Z", "confirmed": "1"}
    )
    assert booked.status_code == 403
    assert not Interview.objects.exists()
