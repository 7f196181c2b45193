"""``/api/v1/docs``: the OpenAPI description rendered for people, on the server.

No script and nothing from a CDN: it works offline and on a self-hosted server as it is, and
it is plain HTML (headings, tables, lists) that assistive technology reads well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from hireslot.api.v1 import api

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    anchor: str  # the schema's anchor on this page, when the type is one of ours
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    parameters: list[Field]
    body: Field | None
    responses: list[tuple[str, str, str]]  # status, description, schema name
    needs_key: bool


@dataclass
class Section:
    tag: str
    operations: list[Operation] = field(default_factory=list)


_CODE_SPAN = re.compile(r"`{1,2}([^`]+)`{1,2}")


def _prose(text: object) -> SafeString:
    """A description as HTML: escaped, with Markdown (or reST) code spans set as code, the
    one piece of Markdown the descriptions use."""
    return mark_safe(_CODE_SPAN.sub(r"<code>\1</code>", escape(str(text or ""))))  # noqa: S308


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict[str, Any]) -> tuple[str, str]:
    """A schema's type as people read it, and the anchor of the named schema it is of."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return name, f"schema-{name}"
    if "anyOf" in schema:
        parts = [_type_of(option) for option in schema["anyOf"]]
        anchor = next((anchor for _, anchor in parts if anchor), "")
        return " or ".join(text for text, _ in parts), anchor
    if schema.get("type") == "array":
        text, anchor = _type_of(schema.get("items", {}))
        return f"list of {text}", anchor
    text = str(schema.get("type", "any"))
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += ": " + ", ".join(str(value) for value in schema["enum"])
    return text, ""


def _fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        text, anchor = _type_of(prop)
        rows.append(
            Field(name, text, anchor, name in required, _prose(prop.get("description", "")))
        )
    return rows


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    parameters = []
    for parameter in spec.get("parameters", []):
        text, anchor = _type_of(parameter.get("schema", {}))
        parameters.append(
            Field(
                f"{parameter['name']} ({parameter['in']})",
                text,
                anchor,
                bool(parameter.get("required")),
                _prose(
                    parameter.get("description")
                    or parameter.get("schema", {}).get("description", "")
                ),
            )
        )
    body = None
    content = spec.get("requestBody", {}).get("content", {}).get("application/json")
    if content:
        text, anchor = _type_of(content.get("schema", {}))
        body = Field("body", text, anchor, bool(spec["requestBody"].get("required")), "")
    responses = []
    for status, response in spec.get("responses", {}).items():
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        responses.append((status, str(response.get("description", "")), _type_of(schema)[0]))
    return Operation(
        method=method.upper(),
        path=path,
        anchor=spec.get("operationId", f"{method}-{path}"),
        summary=str(spec.get("summary", "")),
        description=_prose(spec.get("description", "")),
        parameters=parameters,
        body=body,
        responses=responses,
        needs_key=bool(spec.get("security")),
    )


def reference() -> dict[str, Any]:
    """The page's content, from the same OpenAPI document /openapi.json serves."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    sections: dict[str, Section] = {}
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["Other"])[0]
                sections.setdefault(tag, Section(tag)).operations.append(
                    _operation(path, method, spec)
                )
    schemas = [
        (name, f"schema-{name}", _prose(schema.get("description", "")), _fields(schema))
        for name, schema in sorted(document.get("components", {}).get("schemas", {}).items())
    ]
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "description": _prose(document["info"].get("description", "")),
        "sections": list(sections.values()),
        "schemas": schemas,
    }


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", reference())
