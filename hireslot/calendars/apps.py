from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "hireslot.calendars"
    label = "calendars"
    verbose_name = "Calendars and busy time"
