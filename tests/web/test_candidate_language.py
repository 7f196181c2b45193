"""A candidate's language in the recruiter workspace: recruiters set it (with contact details
and time zone) on the candidate's Edit form, the candidate page shows it, and interviewers can
read it but not change it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.recruiting.models import Candidate
from tests.scheduling.conftest import Company, company_build, person


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_data(**changes: str) -> dict[str, str]:
    data = {
        "first_name": "Ada",
        "last_name": "Okafor",
        "email": "ada@acme.example",
        "phone": "",
        "time_zone": "",
        "language": "",
    }
    data.update(changes)
    return data


def test_the_candidate_page_says_the_browser_decides_while_no_language_is_set(
    company: Company,
) -> None:
    html = logged_in(company.recruiter).get(f"/candidates/{company.candidate.pk}/").content.decode()

    assert "<dt>Language</dt><dd>From the candidate's browser</dd>" in html
    assert f'href="/candidates/{company.candidate.pk}/edit/"' in html


def test_a_recruiter_sets_the_language_and_the_page_shows_it(company: Company) -> None:
    client = logged_in(company.recruiter)
    url = f"/candidates/{company.candidate.pk}/edit/"

    form = client.get(url).content.decode()
    response = client.post(url, edit_data(language="es", time_zone="Europe/Madrid"))

    assert '<option value="" selected>From the candidate&#x27;s browser</option>' in form
    assert '<option value="pt-br">Português (Brasil)</option>' in form
    assert response.status_code == 302
    assert response["Location"] == f"/candidates/{company.candidate.pk}/"
    company.candidate.refresh_from_db()
    assert (company.candidate.language, company.candidate.time_zone) == ("es", "Europe/Madrid")
    page = client.get(response["Location"]).content.decode()
    assert '<span lang="es">Español</span>' in page
    assert "Saved Ada Okafor." in page


def test_a_right_to_left_language_is_shown_right_to_left(company: Company) -> None:
    client = logged_in(company.recruiter)
    client.post(f"/candidates/{company.candidate.pk}/edit/", edit_data(language="ar"))

    page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()

    assert '<span lang="ar" dir="rtl">العربية</span>' in page


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        f"/candidates/{company.candidate.pk}/edit/",
        edit_data(language="klingon", time_zone="Mars/Olympus", first_name="Ada Lovelace"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Select a valid choice" in html
    candidate = Candidate.objects.get(pk=company.candidate.pk)
    assert (candidate.first_name, candidate.language) == ("Ada", "")


def test_interviewers_see_the_language_but_cannot_edit(company: Company) -> None:
    Candidate.objects.filter(pk=company.candidate.pk).update(language="de")
    viewer = person("ivy@acme.example", "Ivy Ito", "UTC")
    membership_add(user=viewer, organization=company.organization, role=Role.INTERVIEWER)
    client = logged_in(viewer)

    page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    response = client.post(f"/candidates/{company.candidate.pk}/edit/", edit_data(language="es"))

    assert '<span lang="de">Deutsch</span>' in page
    assert "/edit/" not in page
    assert response.status_code == 403
    assert Candidate.objects.get(pk=company.candidate.pk).language == "de"


def test_a_candidate_of_another_organization_is_not_found(company: Company) -> None:
    other = company_build("globex")

    response = logged_in(other.recruiter).post(
        f"/candidates/{company.candidate.pk}/edit/", edit_data(language="es")
    )

    assert response.status_code == 404
    assert Candidate.objects.get(pk=company.candidate.pk).language == ""
