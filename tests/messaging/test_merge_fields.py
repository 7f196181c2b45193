"""Recruiter templates: known merge fields render; anything else is refused when saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hireslot.messaging.merge_fields import (
    MERGE_FIELDS,
    SAMPLE_VALUES,
    MergeValues,
    merge_template_render,
    merge_template_validate,
)
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import TaskTemplate
from tests.factories import OrganizationFactory


def test_every_documented_field_renders() -> None:
    text = " | ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS)
    merge_template_validate(text)

    rendered = merge_template_render(text, SAMPLE_VALUES)

    assert rendered == (
        "Ada | Lovelace | Ada Lovelace | ada@example.com | Robotics Software Engineer | "
        "Acme Robotics | Manager Interview | 45 | Riley Chen | riley@example.com | "
        "https://hireslot.example/s/sample"
    )


def test_an_unknown_field_is_refused_with_the_list_of_valid_fields() -> None:
    with pytest.raises(ValidationError) as refused:
        merge_template_validate("Hi {{ candidate.nickname }} about {{ salary }}")

    message = refused.value.messages[0]
    assert "Unknown merge fields: candidate.nickname, salary." in message
    assert "Valid fields are: candidate.first_name," in message and "scheduling_link" in message


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ candidate.first_name.__class__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
        "{{ lipsum.__globals__ }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ range(999999999) | list }}",
        "{{ config }}",
        "{{ request.environ }}",
    ],
)
def test_template_injection_payloads_are_refused(payload: str) -> None:
    with pytest.raises(ValidationError):
        merge_template_validate(payload)


def test_values_are_data_never_template_code() -> None:
    sneaky = MergeValues(candidate_first_name="{{ 7*7 }}<script>alert(1)</script>")

    assert merge_template_render("Hi {{ candidate.first_name }}", sneaky) == (
        "Hi {{ 7*7 }}<script>alert(1)</script>"
    )
    assert merge_template_render("Hi {{ candidate.first_name }}", sneaky, html=True) == (
        "Hi {{ 7*7 }}&lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_a_syntax_error_names_the_line() -> None:
    with pytest.raises(ValidationError, match="syntax error on line 2"):
        merge_template_validate("Hello\n{{ candidate.first_name ")


def test_loops_and_filters_over_known_fields_are_allowed() -> None:
    text = "{{ candidate.first_name | upper }}{% if interview.duration > 30 %} (long){% endif %}"

    merge_template_validate(text)

    assert merge_template_render(text, SAMPLE_VALUES) == "ADA (long)"


@pytest.mark.django_db
def test_saving_templates_checks_their_fields() -> None:
    organization = OrganizationFactory()
    email = EmailTemplate(
        organization=organization, name="Invite", subject="For {{ candidat.name }}", body="Hi"
    )
    task = TaskTemplate(organization=organization, name="Prep", title="Prep {{ job.salary }}")

    with pytest.raises(ValidationError) as email_error:
        email.full_clean()
    with pytest.raises(ValidationError) as task_error:
        task.full_clean()

    assert "candidat.name" in str(email_error.value.message_dict["subject"])
    assert "job.salary" in str(task_error.value.message_dict["title"])
