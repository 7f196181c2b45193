"""Recruiter pages, one module per page (see hireslot.web.urls)."""
