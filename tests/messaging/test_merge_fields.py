"""Recruiter templates: known merge fields render; anything else is refused when saved, and
every render is bounded in work, size, output and time."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from hireslot.core.errors import HireSlotError
from hireslot.messaging import bounded_sandbox
from hireslot.messaging.merge_fields import (
    MERGE_FIELDS,
    SAMPLE_VALUES,
    MergeTemplateError,
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


# --- Bounded rendering: work, size, output and time -----------------------------------------


@pytest.fixture
def roomy_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deadline no other limit comes near, so that on a busy machine the limit a test
    expects is the one that fires (the deadline has its own test)."""
    monkeypatch.setattr(bounded_sandbox, "MAX_RENDER_SECONDS", 10.0)


FIVE_LOOPS = "".join("{% for x" + str(i) + " in 'abcdefghij' %}" for i in range(5)) + (
    "{% endfor %}" * 5
)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("{{ (9**(4*10**6)) % 7 }}", "a number in it grows past 1,000 digits"),
        ("{{ 2 ** 99999 }}", "a number in it grows past 1,000 digits"),
        ("{{ 'a' * 10**7 }}", "a value in it grows past 100,000 characters"),
        ("{{ [candidate.name] * 10**6 }}", "a value in it grows past 100,000 characters"),
        (FIVE_LOOPS, "it repeats loops or macros more than 10,000 times"),
        (
            "{% for a in range(9999) %}{% for b in range(9999) if false %}{% endfor %}{% endfor %}",
            "it repeats loops or macros more than 10,000 times",
        ),
        ("{% for i in range(20000) %}{% endfor %}", "a range is longer than 10,000"),
        ("{% for i in range(10**8) %}{% endfor %}", "a number in it is larger than 100,000"),
        (
            "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}{% endmacro %}"
            "{{ m(60) }}",
            "it repeats loops or macros more than 10,000 times",
        ),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "it nests too deeply"),
        ("{{ 'a'|center(10**9) }}", "a number in it is larger than 100,000"),
        ("{{ ('a\n' * 40000)|indent(1000) }}", "a value in it grows past 100,000 characters"),
        ("{{ ('a ' * 40000)|wordwrap(1, wrapstring='-' * 99) }}", "grows past 100,000"),
        ("{{ ('a' * 4000)|replace('a', 'b' * 1000) }}", "grows past 100,000"),
        ("{{ ('a' * 4000).replace('a', 'b' * 1000) }}", "grows past 100,000"),
        ("{{ range(9999)|join('x' * 99) }}", "grows past 100,000"),
        ("{{ range(9999)|map('center', 99999)|join }}", "grows past 100,000"),
        ("{{ range(99)|batch(99999, 'x' * 99)|list }}", "grows past 100,000"),
        ("{{ '%99999999d' % 1 }}", "grows past 100,000"),
        ("{{ '%.99999999f' % 1 }}", "grows past 100,000"),
        ("{{ '%*d' % (99999999, 1) }}", "a “*” width in a %-format is not allowed"),
        ("{{ '%99999999d'|format(1) }}", "grows past 100,000"),
        ("{{ '{:>99999999}'.format(1) }}", "grows past 100,000"),
        ("{{ '{:>{w}}'.format(1, w=9) }}", "a nested width in a format string"),
        ("{{ 'a'.ljust(10**9) }}", "a number in it is larger than 100,000"),
        ("{{ ('\t' * 9999).expandtabs(99999) }}", "grows past 100,000"),
        ("{% set a = 'x' * 60000 %}{{ a ~ a }}", "grows past 100,000"),
        (
            "{% set a = ['x' * 999] * 99 %}{% set b = [a, a, a, a, a, a, a, a, a, a] %}{{ b }}",
            "grows past 100,000",
        ),
        (
            "{% set a %}{% for i in range(2000) %}{{ 'x' * 999 }}{% endfor %}{% endset %}",
            "it writes more than 1,000,000 characters of text",
        ),
        ("{{ 'x' * 99999 }}{{ 'y' * 99999 }}", "its result is longer than 100,000 characters"),
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "it nests too deeply"),
        ("{% if 1 %}" * 100 + "{% endif %}" * 100, "it nests too deeply"),
        ("{{ candidate.name }}" * 2000, "it is longer than 20,000 characters"),
    ],
)
@pytest.mark.usefixtures("roomy_deadline")
def test_a_template_over_a_rendering_limit_is_refused_quickly_saying_why(
    payload: str, reason: str
) -> None:
    """Given a template that would stall the process or build a huge value, when it is
    validated (as on save and in the preview), then it is refused within a fraction of a
    second with the limit it hit; sending it fails the same way."""
    started = time.process_time()
    with pytest.raises(ValidationError) as refused:
        merge_template_validate(payload)
    with pytest.raises(MergeTemplateError) as failed:
        merge_template_render(payload, SAMPLE_VALUES)

    # CPU time, so that a busy machine does not make the test flaky.
    assert time.process_time() - started < 1.5
    message = refused.value.messages[0]
    assert message.startswith("The template cannot be used: ")
    assert reason in message
    assert failed.value.message == message
    assert isinstance(failed.value, HireSlotError)  # a send reports it like any refusal


@pytest.mark.parametrize(
    "payload",
    [
        # Sorting the same big list over and over stays under every size and iteration cap.
        "{% set a = range(9999)|list %}" + "{{ a|sort|sort|sort|length }}" * 600,
    ],
)
def test_the_render_deadline_stops_work_no_other_limit_catches(payload: str) -> None:
    started = time.process_time()
    with pytest.raises(MergeTemplateError, match=r"longer than 0\.25 seconds"):
        merge_template_render(payload, SAMPLE_VALUES)

    assert time.process_time() - started < 1.5


def test_quadratic_work_is_stopped_by_the_deadline_or_the_size_cap() -> None:
    """Adding lists one by one is quadratic, each step under the size cap: on a slow machine
    the deadline stops it, on a fast one the growing sum reaches the size cap first. Either
    way it ends quickly with a reason (a fixed expectation here was flaky)."""
    payload = "{{ (range(9999)|map('string')|map('list')|list)|sum(start=[]) }}"
    started = time.process_time()
    with pytest.raises(
        MergeTemplateError, match=r"longer than 0\.25 seconds|grows past 100,000 characters"
    ):
        merge_template_render(payload, SAMPLE_VALUES)

    assert time.process_time() - started < 1.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi {{ candidate.first_name }},\n\n{{ scheduling_link }}\n", None),
        ("{{ candidate.name|upper }} / {{ job.title|lower|title }}", None),
        ("{% for letter in candidate.first_name %}{{ letter }}.{% endfor %}", "A.d.a."),
        ("{{ interview.duration * 2 }} {{ interview.duration ** 2 }} {{ 7 % 3 }}", "90 2025 1"),
        ("{{ '%s (%d min)' % (interview.name, interview.duration) }}", None),
        ("{{ '{} at {}'.format(job.title, organization.name) }}", None),
        ("{{ candidate.first_name ~ ' ' ~ candidate.last_name }}", "Ada Lovelace"),
        ("{{ [candidate.first_name, job.title]|join(', ') }}", None),
        ("{{ '-' * 20 }}", "-" * 20),
        ("{% for i in range(3) %}{{ loop.index }}{% endfor %}", "123"),
        ("{{ candidate.first_name|center(9) }}|", "   Ada   |"),
        ("{% if interview.duration > 30 %}long{% else %}short{% endif %}", "long"),
    ],
)
def test_ordinary_templates_render_exactly_as_before(text: str, expected: str | None) -> None:
    """Given everyday templates, the bounded render gives what plain Jinja2 gives."""
    plain = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True)
    before = plain.from_string(text).render(SAMPLE_VALUES.context())

    merge_template_validate(text)

    assert merge_template_render(text, SAMPLE_VALUES) == before
    if expected is not None:
        assert before == expected


def test_large_numbers_as_values_are_fine_only_as_widths_or_counts_they_are_refused() -> None:
    assert merge_template_render("{{ 1000000|string }} {{ 10**6 }}", SAMPLE_VALUES) == (
        "1000000 1000000"
    )
    with pytest.raises(MergeTemplateError, match="a number in it is larger than 100,000"):
        merge_template_render("{{ 'x'|truncate(1000000) }}", SAMPLE_VALUES)
