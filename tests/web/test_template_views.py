"""The Templates page: create, edit, duplicate and delete every kind of template, the email
editor's merge-field picker and live preview, and who may change what."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.messaging import bounded_sandbox
from hireslot.messaging.merge_fields import MERGE_FIELDS
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate, WorkflowStage
from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.services.bulk import stage_template_assign
from tests.browser import chromium_page
from tests.scheduling.conftest import Company, company_build, person


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_error(html: str, field: str) -> str:
    """The message shown next to ``field`` (empty when there is none)."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', html, re.DOTALL)
    return match.group(1) if match else ""


def self_schedule_data(company: Company, **changes: object) -> dict[str, object]:
    template = company.template
    data: dict[str, object] = {
        "name": "Panel Interview",
        "email_template": str(template.email_template_id),
        "interview_template": str(template.interview_template_id),
        "task_template": str(template.task_template_id),
        "duration_minutes": "",
        "interviewers": [str(company.interviewer.pk)],
        "conferencing": "jitsi",
        "phone_number": "",
        "workflow_action": "none",
        "move_to_stage_name": "",
        "notify_sender": "on",
        "notify_interviewers": "on",
        "link_expiry_days": "7",
        "minimum_notice_minutes": "",
        "booking_horizon_days": "",
        "slot_interval_minutes": "30",
        "change_cutoff_minutes": "120",
    }
    data.update(changes)
    return data


# --- The page -------------------------------------------------------------------------------


def test_the_templates_page_lists_every_kind_with_its_actions(company: Company) -> None:
    html = logged_in(company.recruiter).get("/templates/").content.decode()

    for heading in ("Self-schedule templates", "Email templates", "Task templates"):
        assert heading in html
    assert "Manager Interview" in html and "Self-schedule invitation" in html
    assert "Prepare for the interview" in html
    for label in ("New self-schedule template", "New email template", "New task template"):
        assert label in html
    assert 'aria-label="Duplicate Manager Interview"' in html
    assert 'aria-label="Delete Self-schedule invitation"' in html
    # The interview template's page, which calendar events link to, keeps its address.
    interview = company.template.interview_template
    assert f'href="/templates/interviews/{interview.pk}/"' in html
    assert f'href="/templates/interviews/{interview.pk}/edit/"' in html


def test_the_interview_template_page_still_answers(company: Company) -> None:
    interview = company.template.interview_template

    response = logged_in(company.interviewer).get(f"/templates/interviews/{interview.pk}/")

    assert response.status_code == 200
    assert "Questions" in response.content.decode()


# --- Email templates: editor, picker, preview -----------------------------------------------


def test_the_email_editor_lists_every_merge_field_with_its_description(company: Company) -> None:
    html = logged_in(company.recruiter).get("/templates/email/new/").content.decode()

    for field, description in MERGE_FIELDS.items():
        assert f'data-merge-field="{field}"' in html
        assert f"{{{{ {field} }}}}" in html
        assert description.replace("'", "&#x27;") in html
    assert "hireslot/template_editor.js" in html
    assert 'hx-post="/templates/email/preview/"' in html
    assert "data-merge-target" in html


def test_creating_an_email_template_saves_it(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/email/new/",
        {"name": "Onsite invite", "subject": "Onsite, {{ candidate.first_name }}", "body": "Hi"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/templates/#email-templates"
    saved = EmailTemplate.objects.get(name="Onsite invite")
    assert saved.organization == company.organization
    assert saved.subject == "Onsite, {{ candidate.first_name }}"


def test_an_unknown_merge_field_is_shown_next_to_the_field_and_nothing_is_saved(
    company: Company,
) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/email/new/",
        {"name": "Broken", "subject": "Hello", "body": "Hi {{ candidate.nickname }}"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Unknown merge field: candidate.nickname" in field_error(html, "body")
    assert field_error(html, "subject") == ""
    assert not EmailTemplate.objects.filter(name="Broken").exists()


def test_a_duplicate_name_is_refused_next_to_the_name(company: Company) -> None:
    email = company.template.email_template
    other = EmailTemplate.objects.create(
        organization=company.organization, name="Other", subject="S", body="B"
    )

    response = logged_in(company.recruiter).post(
        f"/templates/email/{other.pk}/",
        {"name": email.name, "subject": "S", "body": "B"},
    )

    assert response.status_code == 400
    assert "already has this name" in field_error(response.content.decode(), "name")
    other.refresh_from_db()
    assert other.name == "Other"


def test_editing_an_email_template_changes_it(company: Company) -> None:
    email = company.template.email_template

    response = logged_in(company.recruiter).post(
        f"/templates/email/{email.pk}/",
        {"name": email.name, "subject": "New subject", "body": "{{ scheduling_link }}"},
    )

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.subject == "New subject"


def test_the_preview_renders_the_sample_candidate(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/email/preview/",
        {
            "subject": "Hello {{ candidate.first_name }}",
            "body": "{{ job.title }} at {{ organization.name }}: {{ scheduling_link }}",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hello Ada" in html
    assert "Robotics Software Engineer at Acme Robotics: https://hireslot.example/s/sample" in html
    assert "<html" not in html  # a fragment for htmx to swap in


def test_the_preview_shows_why_a_template_cannot_be_sent(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/email/preview/",
        {"subject": "Hi {{ candidate.first_name", "body": "{{ secret }}"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be sent yet" in html
    assert "syntax error" in html
    assert "Unknown merge field: secret" in html


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{{ (9**(4*10**6)) % 7 }}", "a number in it grows past 1,000 digits"),
        ("{{ 'a' * 10**7 }}", "a value in it grows past 100,000 characters"),
        (
            "{% for a in 'abcdefghij' %}{% for b in 'abcdefghij' %}{% for c in 'abcdefghij' %}"
            "{% for d in 'abcdefghij' %}{% for e in 'abcdefghij' %}{% endfor %}{% endfor %}"
            "{% endfor %}{% endfor %}{% endfor %}",
            "it repeats loops or macros more than 10,000 times",
        ),
    ],
)
def test_a_template_over_a_limit_is_explained_in_the_preview_and_not_saved(
    company: Company, body: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a body that would stall the server, when the recruiter previews and saves it,
    then both answer at once with the limit it hit, and nothing is saved."""
    # Far off, so that on a busy machine the expected limit is the one that fires.
    monkeypatch.setattr(bounded_sandbox, "MAX_RENDER_SECONDS", 10.0)
    client = logged_in(company.recruiter)
    started = time.process_time()

    preview = client.post("/templates/email/preview/", {"subject": "Hi", "body": body})
    saved = client.post("/templates/email/new/", {"name": "Big", "subject": "Hi", "body": body})

    assert time.process_time() - started < 3
    assert preview.status_code == 200 and len(preview.content) < 10_000
    assert reason in preview.content.decode()
    assert saved.status_code == 400
    assert reason in field_error(saved.content.decode(), "body")
    assert not EmailTemplate.objects.filter(name="Big").exists()


def test_the_editor_shows_the_saved_template_already_previewed(company: Company) -> None:
    email = company.template.email_template

    html = logged_in(company.recruiter).get(f"/templates/email/{email.pk}/").content.decode()

    assert "Pick a time for your Manager Interview with Acme Robotics" in html
    assert "Hi Ada," in html


def test_the_preview_escapes_what_the_recruiter_typed(company: Company) -> None:
    html = (
        logged_in(company.recruiter)
        .post("/templates/email/preview/", {"subject": "S", "body": "<script>x</script>"})
        .content.decode()
    )

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


# --- Self-schedule templates ----------------------------------------------------------------


def test_creating_a_self_schedule_template_saves_its_people(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/self-schedule/new/",
        self_schedule_data(company, notify_users=[str(company.recruiter.pk)]),
    )

    assert response.status_code == 302, response.content.decode()
    saved = SelfScheduleTemplate.objects.get(name="Panel Interview")
    assert list(saved.interviewers.all()) == [company.interviewer]
    assert list(saved.notify_users.all()) == [company.recruiter]
    assert saved.organization == company.organization


def test_a_self_schedule_template_draws_one_interviewer_from_each_chosen_pool(
    company: Company,
) -> None:
    from hireslot.scheduling.services import pool_create

    pool = pool_create(organization=company.organization, name="Backend interviewers")
    client = logged_in(company.recruiter)

    response = client.post(
        "/templates/self-schedule/new/", self_schedule_data(company, pools=[str(pool.pk)])
    )

    assert response.status_code == 302, response.content.decode()
    saved = SelfScheduleTemplate.objects.get(name="Panel Interview")
    assert [seat.pool for seat in saved.pool_seats.all()] == [pool]
    listing = client.get("/templates/").content.decode()
    assert "one of Backend interviewers" in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"conferencing": "zoom"}, "conferencing", "Select a valid choice"),
        ({"workflow_action": "named_stage"}, "move_to_stage_name", "Name the stage"),
        ({"link_expiry_days": "0"}, "link_expiry_days", "greater than or equal to 1"),
        ({"slot_interval_minutes": "7"}, "slot_interval_minutes", "not one of the available"),
        ({"name": ""}, "name", "required"),
        ({"name": "Manager Interview"}, "name", "already has this name"),
    ],
)
def test_self_schedule_template_errors_are_shown_next_to_their_field(
    company: Company, changes: dict[str, object], field: str, message: str
) -> None:
    before = SelfScheduleTemplate.objects.count()

    response = logged_in(company.recruiter).post(
        "/templates/self-schedule/new/", self_schedule_data(company, **changes)
    )

    assert response.status_code == 400
    assert message in field_error(response.content.decode(), field)
    assert SelfScheduleTemplate.objects.count() == before


def test_choices_are_limited_to_the_organizations_own_templates_and_members(
    company: Company,
) -> None:
    other = company_build("other")
    stranger = person("sam@elsewhere.example", "Sam Stranger", "UTC")
    client = logged_in(company.recruiter)

    form = client.get("/templates/self-schedule/new/").content.decode()
    assert "Nora Alvarez" in form and "Riley Chen" in form
    assert str(other.template.email_template_id) not in form
    assert "Sam Stranger" not in form and str(other.recruiter.pk) not in form

    response = client.post(
        "/templates/self-schedule/new/",
        self_schedule_data(
            company,
            email_template=str(other.template.email_template_id),
            interviewers=[str(stranger.pk)],
            notify_users=[str(other.recruiter.pk)],
        ),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in field_error(html, "email_template")
    assert "Select a valid choice" in field_error(html, "interviewers")
    assert "Select a valid choice" in field_error(html, "notify_users")
    assert not SelfScheduleTemplate.objects.filter(name="Panel Interview").exists()


def test_editing_a_self_schedule_template_keeps_what_was_not_changed(company: Company) -> None:
    template = company.template

    response = logged_in(company.recruiter).post(
        f"/templates/self-schedule/{template.pk}/",
        self_schedule_data(
            company, name="Manager Interview", conferencing="phone", phone_number="+1 555 0100"
        ),
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.conferencing == "phone" and template.phone_number == "+1 555 0100"
    assert list(template.interviewers.all()) == [company.interviewer]


def test_a_saved_link_kind_that_is_not_connected_is_kept_and_explained(
    company: Company,
) -> None:
    SelfScheduleTemplate.objects.filter(pk=company.template.pk).update(conferencing="zoom")
    client = logged_in(company.recruiter)
    url = f"/templates/self-schedule/{company.template.pk}/"

    form = client.get(url).content.decode()
    response = client.post(url, self_schedule_data(company, conferencing="zoom"))

    assert '<option value="zoom" selected>Zoom (not set up)</option>' in form
    assert '<option value="teams"' not in form
    assert response.status_code == 400
    assert "Zoom is not" in field_error(response.content.decode(), "conferencing")


def test_self_schedule_templates_need_a_plan_with_self_scheduling(company: Company) -> None:
    company.organization.plan = "starter"
    company.organization.save()
    client = logged_in(company.recruiter)

    response = client.get("/templates/self-schedule/new/")

    assert response.status_code == 403
    assert "Scale" in response.content.decode()
    assert "New self-schedule template" not in client.get("/templates/").content.decode()


# --- Task and interview templates -----------------------------------------------------------


def test_a_task_for_a_specific_person_needs_that_person(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/task/new/",
        {
            "name": "Scorecard",
            "title": "Score {{ candidate.name }}",
            "assignee_rule": "specific_user",
            "assignee": "",
            "due_offset_days": "1",
        },
    )

    assert response.status_code == 400
    assert "Choose the person" in field_error(response.content.decode(), "assignee")
    assert not TaskTemplate.objects.filter(name="Scorecard").exists()


def test_a_task_template_title_is_checked_for_merge_fields(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/task/new/",
        {
            "name": "Scorecard",
            "title": "Score {{ candidat.name }}",
            "assignee_rule": "sender",
            "due_offset_days": "1",
        },
    )

    assert response.status_code == 400
    assert "Unknown merge field" in field_error(response.content.decode(), "title")


def test_creating_a_task_template_for_a_member(company: Company) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/task/new/",
        {
            "name": "Scorecard",
            "title": "Score {{ candidate.name }}",
            "description": "",
            "assignee_rule": "specific_user",
            "assignee": str(company.interviewer.pk),
            "due_offset_days": "2",
        },
    )

    assert response.status_code == 302
    assert TaskTemplate.objects.get(name="Scorecard").assignee == company.interviewer


def test_creating_and_editing_an_interview_template(company: Company) -> None:
    client = logged_in(company.recruiter)

    created = client.post(
        "/templates/interviews/new/",
        {"name": "Onsite", "duration_minutes": "90", "instructions": "", "questions": "Why?"},
    )
    onsite = InterviewTemplate.objects.get(name="Onsite")
    invalid = client.post(
        f"/templates/interviews/{onsite.pk}/edit/",
        {"name": "Onsite", "duration_minutes": "2", "instructions": "", "questions": ""},
    )

    assert created.status_code == 302
    assert invalid.status_code == 400
    assert "greater than or equal to 5" in field_error(invalid.content.decode(), "duration_minutes")
    onsite.refresh_from_db()
    assert onsite.duration_minutes == 90


# --- Duplicate -----------------------------------------------------------------------------


def test_duplicating_makes_a_copy_with_a_free_name_and_the_same_people(company: Company) -> None:
    template = company.template
    template.interviewers.set([company.interviewer, company.recruiter])
    template.notify_users.set([company.recruiter])
    client = logged_in(company.recruiter)
    url = f"/templates/self-schedule/{template.pk}/duplicate/"

    first = client.post(url)
    second = client.post(url)

    copy = SelfScheduleTemplate.objects.get(name="Manager Interview (copy)")
    assert SelfScheduleTemplate.objects.filter(name="Manager Interview (copy 2)").exists()
    assert first["Location"] == f"/templates/self-schedule/{copy.pk}/"
    assert second.status_code == 302
    assert set(copy.interviewers.all()) == {company.interviewer, company.recruiter}
    assert list(copy.notify_users.all()) == [company.recruiter]
    assert copy.email_template_id == template.email_template_id
    assert copy.pk != template.pk


@pytest.mark.parametrize(
    ("prefix", "model"),
    [("email", EmailTemplate), ("task", TaskTemplate), ("interviews", InterviewTemplate)],
)
def test_every_kind_can_be_duplicated(company: Company, prefix: str, model: Any) -> None:
    original = model.objects.filter(organization=company.organization).first()

    response = logged_in(company.recruiter).post(
        f"/templates/{prefix}/{original.pk}/duplicate/", follow=True
    )

    assert response.status_code == 200
    assert model.objects.filter(name=f"{original.name} (copy)").exists()
    assert f"a copy of “{original.name}”" in response.content.decode()


# --- Delete --------------------------------------------------------------------------------


def test_deleting_an_email_template_in_use_lists_its_users(company: Company) -> None:
    email = company.template.email_template
    logged_in(company.recruiter).post(f"/templates/self-schedule/{company.template.pk}/duplicate/")
    client = logged_in(company.recruiter)

    confirm = client.get(f"/templates/email/{email.pk}/delete/").content.decode()
    response = client.post(f"/templates/email/{email.pk}/delete/")

    assert response.status_code == 409
    html = response.content.decode()
    assert "cannot be deleted: it is in use" in html
    assert "Self-schedule template “Manager Interview”" in html
    assert "Self-schedule template “Manager Interview (copy)”" in html
    assert "Used by" in confirm
    assert "<button" not in confirm.split("Used by")[1].split("</main>")[0]
    assert EmailTemplate.objects.filter(pk=email.pk).exists()


def test_deleting_a_self_schedule_template_in_use_lists_requests_and_stages(
    company: Company,
) -> None:
    company.send()
    stage_template_assign(
        stage=WorkflowStage.objects.get(job=company.application.job, name="Manager Interview"),
        template=company.template,
        actor=company.recruiter,
    )

    response = logged_in(company.recruiter).post(
        f"/templates/self-schedule/{company.template.pk}/delete/"
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "1 scheduling request" in html
    assert "Stage “Robotics Engineer: Manager Interview”" in html
    assert SelfScheduleTemplate.objects.filter(pk=company.template.pk).exists()


def test_deleting_an_interview_template_in_use_lists_its_users(company: Company) -> None:
    interview = company.template.interview_template

    response = logged_in(company.recruiter).post(f"/templates/interviews/{interview.pk}/delete/")

    assert response.status_code == 409
    assert "Self-schedule template “Manager Interview”" in response.content.decode()


def test_deleting_what_nothing_uses_works(company: Company) -> None:
    client = logged_in(company.recruiter)
    client.post(f"/templates/self-schedule/{company.template.pk}/duplicate/")
    copy = SelfScheduleTemplate.objects.get(name="Manager Interview (copy)")

    confirm = client.get(f"/templates/self-schedule/{copy.pk}/delete/")
    response = client.post(f"/templates/self-schedule/{copy.pk}/delete/", follow=True)

    assert "This cannot be undone" in confirm.content.decode()
    assert response.redirect_chain == [("/templates/#self-schedule-templates", 302)]
    assert "Deleted the self-schedule template “Manager Interview (copy)”" in (
        response.content.decode()
    )
    assert not SelfScheduleTemplate.objects.filter(pk=copy.pk).exists()


# --- Organizations and roles ---------------------------------------------------------------


def _urls_of(company: Company) -> list[str]:
    template = company.template
    urls = []
    for prefix, pk in (
        ("self-schedule", template.pk),
        ("email", template.email_template_id),
        ("task", template.task_template_id),
        ("interviews", template.interview_template_id),
    ):
        edit = f"/templates/{prefix}/{pk}/" + ("edit/" if prefix == "interviews" else "")
        urls += [edit, f"/templates/{prefix}/{pk}/duplicate/", f"/templates/{prefix}/{pk}/delete/"]
    return urls


def test_another_organizations_templates_are_a_404(company: Company) -> None:
    other = company_build("other")
    client = logged_in(company.recruiter)

    for url in _urls_of(other):
        assert client.post(url).status_code == 404, url
        if not url.endswith("/duplicate/"):
            assert client.get(url).status_code == 404, url
    assert client.get("/templates/email/not-a-uuid/").status_code == 404
    assert SelfScheduleTemplate.objects.filter(organization=other.organization).count() == 1


def test_an_interviewer_gets_403_on_every_page_that_shows_or_runs_a_template(
    company: Company,
) -> None:
    """Given an interviewer, when they open the templates, an editor, the live preview or the
    compose form, then each answers 403 and nothing is rendered or changed."""
    client = logged_in(company.interviewer)
    email = company.template.email_template
    application = company.application

    pages = ["/templates/", *(f"/templates/{kind}/new/" for kind in KIND_PREFIXES)]
    pages += _urls_of(company)
    for url in pages:
        if not url.endswith("/duplicate/"):  # POST only
            assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijacked"}).status_code == 403, url
    preview = client.post(
        "/templates/email/preview/", {"subject": "{{ candidate.first_name }}", "body": "x"}
    )
    compose = client.get(f"/applications/{application.pk}/self-schedule/compose/")

    assert preview.status_code == 403 and "Ada" not in preview.content.decode()
    assert compose.status_code == 403
    assert 'href="/templates/"' not in client.get("/").content.decode()
    email.refresh_from_db()
    assert email.name == "Self-schedule invitation"
    assert SelfScheduleTemplate.objects.count() == 1


KIND_PREFIXES = ("self-schedule", "email", "task", "interviews")


def test_an_admin_can_change_templates(company: Company) -> None:
    admin = person("ava@acme.example", "Ava Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)

    response = logged_in(admin).post(
        f"/templates/task/{company.template.task_template_id}/duplicate/"
    )

    assert response.status_code == 302
    assert TaskTemplate.objects.filter(name="Prepare for the interview (copy)").exists()


# --- In a real browser ---------------------------------------------------------------------


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_recruiter_writes_an_email_with_the_picker_and_watches_the_preview(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company = company_build()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(company.recruiter.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    # Given the Templates page, a recruiter starts a new email template
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Templates").click()
    page.get_by_role("link", name="New email template").click()
    expect(page.get_by_role("heading", name="New email template")).to_be_visible()
    page.get_by_label("Name").fill("Onsite invite")

    # When they type a subject and insert a merge field with the keyboard
    subject = page.get_by_label("Subject")
    subject.fill("Welcome, ")
    page.get_by_role("button", name=re.compile("Candidate's first name")).focus()
    page.keyboard.press("Enter")
    expect(subject).to_have_value("Welcome, {{ candidate.first_name }}")

    # Then the preview shows the sample candidate
    preview = page.locator("#email-preview")
    expect(preview).to_contain_text("Subject: Welcome, Ada")

    # When the body names a field that does not exist, the preview says so
    page.get_by_label("Body").fill("Hi {{ candidate.nickname }}")
    expect(preview).to_contain_text("Unknown merge field: candidate.nickname")

    # And fixing it with the picker (at the cursor in the body) makes it previewable again
    body = page.get_by_label("Body")
    body.fill("See you at ")
    page.get_by_role("button", name=re.compile("Hiring organization")).click()
    expect(body).to_have_value("See you at {{ organization.name }}")
    expect(preview).to_contain_text("See you at Acme Robotics")
    page.get_by_role("button", name="Create email template").click()

    expect(page.get_by_role("status")).to_contain_text("Saved the email template “Onsite invite”")
    assert (
        EmailTemplate.objects.get(name="Onsite invite").body == "See you at {{ organization.name }}"
    )


def test_the_self_schedule_form_picks_a_stage_and_shows_fields_only_where_they_apply(
    company: Company,
) -> None:
    """The stage to move to is chosen from the jobs' stages, the phone number and stage show
    only for phone calls and a named stage, and no select reads "---------"."""
    client = Client()
    client.force_login(company.recruiter)

    html = client.get(f"/templates/self-schedule/{company.template.pk}/").content.decode()

    assert '<select name="move_to_stage_name"' in html
    assert '<option value="Manager Interview">Manager Interview</option>' in html
    assert 'data-show-when="conferencing:phone"' in html
    assert 'data-show-when="workflow_action:named_stage"' in html
    assert "---------" not in html


def test_a_self_schedule_templates_reminders_and_nudges_are_set_on_its_form(
    company: Company,
) -> None:
    client = logged_in(company.recruiter)
    form = client.get(f"/templates/self-schedule/{company.template.pk}/").content.decode()
    assert 'value="1440, 60"' in form and 'value="1, 3"' in form

    response = client.post(
        "/templates/self-schedule/new/",
        self_schedule_data(
            company,
            reminder_offsets_minutes="2880, 30",
            nudge_after_days="2",
            nudge_unless_opened_hours="12",
            max_candidate_reschedules="1",
            no_show_follow_up="new_link",
        ),
    )

    assert response.status_code == 302, response.content.decode()
    saved = SelfScheduleTemplate.objects.get(name="Panel Interview")
    assert saved.reminder_offsets_minutes == [2880, 30]
    assert (saved.nudge_after_days, saved.nudge_unless_opened_hours) == ([2], 12)
    assert (saved.max_candidate_reschedules, saved.no_show_follow_up) == (1, "new_link")


@pytest.mark.parametrize(
    ("value", "message"),
    [("a day", "Whole numbers separated by commas"), ("1", "between 5 minutes and 14 days")],
)
def test_reminder_times_that_cannot_work_are_refused_next_to_their_field(
    company: Company, value: str, message: str
) -> None:
    response = logged_in(company.recruiter).post(
        "/templates/self-schedule/new/",
        self_schedule_data(company, reminder_offsets_minutes=value),
    )
    assert response.status_code == 400
    assert message in field_error(response.content.decode(), "reminder_offsets_minutes")
