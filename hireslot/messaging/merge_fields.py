"""Recruiter-written templates: merge fields rendered in Jinja2's sandbox.

Recruiters write email subjects and bodies and task titles; those templates must never reach
server internals. They are rendered in a ``SandboxedEnvironment`` with ``StrictUndefined`` over
plain strings (never model instances), and checked when saved: an unknown field, a syntax
error or an attempt to reach past the sandbox is a validation error that lists the valid fields.

Every render (preview, validation on save, compose, each send) goes through
``bounded_render``: a template that would take too long, loop too often or build too much
text is refused with the limit it hit (see ``hireslot.messaging.bounded_sandbox``). At send
time that is a ``MergeTemplateError``, a ``HireSlotError`` the send reports like any refusal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError

from hireslot.core.errors import HireSlotError
from hireslot.messaging.bounded_sandbox import (
    MAX_TEMPLATE_CHARS,
    BoundedEnvironment,
    TemplateLimitError,
    bounded_render,
)

MERGE_FIELDS: Mapping[str, str] = {
    "candidate.first_name": "Candidate's first name",
    "candidate.last_name": "Candidate's last name",
    "candidate.name": "Candidate's full name",
    "candidate.email": "Candidate's email address",
    "job.title": "Job title",
    "organization.name": "Hiring organization",
    "interview.name": "Interview name (from the interview template)",
    "interview.duration": "Interview length in minutes",
    "sender.name": "Name of the person sending the request",
    "sender.email": "Email address of the person sending the request",
    "scheduling_link": "The candidate's personal scheduling link",
}


def _environment(*, autoescape: bool) -> BoundedEnvironment:
    return BoundedEnvironment(
        undefined=StrictUndefined, autoescape=autoescape, keep_trailing_newline=True
    )


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


@dataclass(frozen=True)
class MergeValues:
    """The values a template may use: strings only, so nothing reaches objects or methods."""

    candidate_first_name: str = ""
    candidate_last_name: str = ""
    candidate_email: str = ""
    job_title: str = ""
    organization_name: str = ""
    interview_name: str = ""
    interview_duration: int = 0
    sender_name: str = ""
    sender_email: str = ""
    scheduling_link: str = ""

    def context(self) -> dict[str, object]:
        return {
            "candidate": {
                "first_name": self.candidate_first_name,
                "last_name": self.candidate_last_name,
                "name": f"{self.candidate_first_name} {self.candidate_last_name}".strip(),
                "email": self.candidate_email,
            },
            "job": {"title": self.job_title},
            "organization": {"name": self.organization_name},
            "interview": {"name": self.interview_name, "duration": self.interview_duration},
            "sender": {"name": self.sender_name, "email": self.sender_email},
            "scheduling_link": self.scheduling_link,
        }


SAMPLE_VALUES = MergeValues(
    candidate_first_name="Ada",
    candidate_last_name="Lovelace",
    candidate_email="ada@example.com",
    job_title="Robotics Software Engineer",
    organization_name="Acme Robotics",
    interview_name="Manager Interview",
    interview_duration=45,
    sender_name="Riley Chen",
    sender_email="riley@example.com",
    scheduling_link="https://hireslot.example/s/sample",
)


def _dotted_names(node: nodes.Node) -> Iterator[str]:
    """Every variable reference, written as the dotted path a person typed."""
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        parts: list[str] = []
        current: nodes.Node = node
        while isinstance(current, nodes.Getattr | nodes.Getitem):
            if isinstance(current, nodes.Getattr):
                parts.append(current.attr)
            elif isinstance(current.arg, nodes.Const) and isinstance(current.arg.value, str):
                parts.append(current.arg.value)
            else:
                parts.append("[…]")
            current = current.node
        if isinstance(current, nodes.Name):
            yield ".".join([current.name, *reversed(parts)])
            return
    if isinstance(node, nodes.Name) and node.ctx == "load":
        yield node.name
        return
    for child in node.iter_child_nodes():
        yield from _dotted_names(child)


def _valid_fields_text() -> str:
    return ", ".join(MERGE_FIELDS)


class MergeTemplateError(HireSlotError):
    """A template that cannot be rendered (over a limit, or broken); the message says why."""


# What a broken or over-limit template raises while it is compiled or rendered.
_RENDER_ERRORS = (
    SecurityError,
    UndefinedError,
    TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    RecursionError,
    SyntaxError,  # Python's own limit on nested blocks in the compiled template
)


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError | SyntaxError):
        return "it nests too deeply"
    return str(error).rstrip(".")


def merge_template_validate(text: str) -> None:
    """Refuse a template with a syntax error, an unknown field, anything unsafe, or one that
    goes over a rendering limit with the sample values."""
    merge_template_preview(text)


def merge_template_preview(text: str) -> str:
    """``text`` rendered for the sample candidate, once; refused like ``merge_template_validate``
    (a ``ValidationError``) when it could not be saved."""
    if len(text) > MAX_TEMPLATE_CHARS:
        raise ValidationError(
            f"The template cannot be used: it is longer than {MAX_TEMPLATE_CHARS:,} characters."
        )
    try:
        tree = _TEXT.parse(text)
    except TemplateSyntaxError as error:
        raise ValidationError(
            f"The template has a syntax error on line {error.lineno}: "
            f"{(error.message or 'invalid syntax').rstrip('.')}."
        ) from error
    except RecursionError as error:
        raise ValidationError("The template cannot be used: it nests too deeply.") from error
    locally_bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in {"store", "param"}}
    locally_bound |= {macro.name for macro in tree.find_all(nodes.Macro)}
    locally_bound |= set(_TEXT.globals)  # range and dict, bounded like everything else
    if any(True for _ in tree.find_all(nodes.For)):
        locally_bound.add("loop")
    unknown = sorted(
        {
            name
            for name in _dotted_names(tree)
            if name not in MERGE_FIELDS and name.split(".")[0] not in locally_bound
        }
    )
    if unknown:
        raise ValidationError(
            f"Unknown merge field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Valid fields are: {_valid_fields_text()}."
        )
    try:
        return merge_template_render(text, SAMPLE_VALUES)
    except MergeTemplateError as error:
        raise ValidationError(error.message) from error


@lru_cache(maxsize=256)
def _compiled(text: str, html: bool) -> Template:
    # Compiling dominates rendering; bulk sends render the same few templates thousands of times.
    return (_HTML if html else _TEXT).from_string(text)


def merge_template_render(text: str, values: MergeValues, *, html: bool = False) -> str:
    """Render a template within the rendering limits; HTML output escapes every value.

    Raises ``MergeTemplateError`` saying why when it cannot (a limit, a broken template)."""
    try:
        if len(text) > MAX_TEMPLATE_CHARS:
            raise TemplateLimitError(f"it is longer than {MAX_TEMPLATE_CHARS:,} characters")
        return bounded_render(_compiled(text, html), values.context())
    except _RENDER_ERRORS as error:
        raise MergeTemplateError(f"The template cannot be used: {_reason(error)}.") from error
