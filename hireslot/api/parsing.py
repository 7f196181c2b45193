"""Request bodies are read as the rest of HireSlot reads JSON: bounded in size and nesting,
so no body costs more than a 400 (``core.request_input``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from hireslot.core.request_input import json_object_read


class BoundedParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return json_object_read(request)
