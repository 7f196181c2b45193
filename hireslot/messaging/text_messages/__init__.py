"""Text messages: an optional channel beside email, behind a provider chosen in settings
(``base``: the contract; ``twilio``; ``console`` for development; ``memory`` for tests), only
to numbers whose owner agreed and has not replied STOP (``services``)."""
