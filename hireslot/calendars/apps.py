from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "hireslot.calendars"
    label = "calendars"
    verbose_name = "Calendars and busy time"

    def ready(self) -> None:
        # Here, not at the top: services import models, which need the app registry ready.
        from hireslot.calendars.services_refresh import refresh_chain_sweep
        from hireslot.core.leases import sweep_register

        sweep_register(refresh_chain_sweep)
