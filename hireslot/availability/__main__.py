"""Entry point for ``python -m hireslot.availability`` (see ``cli``)."""

from __future__ import annotations

import os
import sys

from .cli import main

if __name__ == "__main__":
    status = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away; keep the interpreter's final flush from printing a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise SystemExit(status)
