"""Background work by name, so that no service imports a ``tasks.py`` module.

A ``tasks.py`` module is a leaf of the import graph: it imports its services and nothing
imports it (core's ``ready()`` discovers them all). Its tasks register here under a stable
name, and a service that needs work done later asks for it by that name (Zulip's
``queue_json_publish`` shape). The task rows keep django-tasks' own module paths, so
queued work survives upgrades.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django_tasks.base import Task

T = TypeVar("T", bound=Task[Any, Any])

_TASKS: dict[str, Task[Any, Any]] = {}


class UnknownWorkError(LookupError):
    """Work asked for by a name no ``tasks.py`` registered (its tasks module was not discovered)."""


def work_register(name: str) -> Callable[[T], T]:
    """Register the django-tasks task below this decorator as ``name``."""

    def register(task: T) -> T:
        registered = _TASKS.get(name)
        if registered is not None and registered.module_path != task.module_path:
            raise ValueError(f"work {name!r} is already {registered.module_path}")
        _TASKS[name] = task
        return task

    return register


def work_enqueue(name: str, *, run_after: datetime | None = None, **arguments: Any) -> None:
    """Queue the work registered as ``name`` with keyword ``arguments`` (JSON values).

    Called inside a transaction it should be wrapped in ``transaction.on_commit`` by the caller,
    which knows whether the rows the work reads must be committed first.
    """
    try:
        task = _TASKS[name]
    except KeyError:
        raise UnknownWorkError(f"no background work is registered as {name!r}") from None
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(**arguments)


def work_names() -> frozenset[str]:
    """Every registered name (for the test that every enqueued name exists)."""
    return frozenset(_TASKS)
