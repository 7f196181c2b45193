"""Booking, rescheduling and cancelling: single interviews (``single``) and loops
(``loops``), safe under any concurrency; the public names are importable from here.

``interview_book``, ``interview_reschedule`` and ``interview_cancel`` take a loop's request
or any of its sessions too and act on the whole loop (``loop_book`` …).
"""

from hireslot.scheduling.services.booking.loops import (
    loop_book,
    loop_cancel,
    loop_reschedule,
    loop_session_swap,
)
from hireslot.scheduling.services.booking.single import (
    interview_book,
    interview_cancel,
    interview_reschedule,
)

__all__ = [
    "interview_book",
    "interview_cancel",
    "interview_reschedule",
    "loop_book",
    "loop_cancel",
    "loop_reschedule",
    "loop_session_swap",
]
