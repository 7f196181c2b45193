from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hireslot.core"
    label = "core"
    verbose_name = "HireSlot core"

    def ready(self) -> None:
        from hireslot.core.redaction import candidate_link_filter_install

        # LOGGING is configured before apps are ready: cover the handlers it did not make
        # (gunicorn's access and error logs, anything a library attached).
        candidate_link_filter_install()
