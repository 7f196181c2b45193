# The self-scheduling company fixtures, shared with the recruiter pages' tests.
from tests.scheduling.conftest import company, memory_calendar_reset, travel  # noqa: F401
