"""WSGI entry point (gunicorn hireslot.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hireslot.settings")

application = get_wsgi_application()
