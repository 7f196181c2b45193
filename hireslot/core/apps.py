from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hireslot.core"
    label = "core"
    verbose_name = "HireSlot core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        # Here, not at the top: apps.py is imported before the app registry is ready, and
        # these modules import models and settings-dependent parts of Django.
        from hireslot.core.middleware import session_lifetime_start
        from hireslot.core.redaction import candidate_link_filter_install  # same reason

        # Login is where a session's lifetime starts (Django's hook for it).
        user_logged_in.connect(session_lifetime_start, dispatch_uid="hireslot-session-start")

        # LOGGING is configured before apps are ready: cover the handlers it did not make
        # (gunicorn's access and error logs, anything a library attached).
        candidate_link_filter_install()

        # Every app's tasks.py registers its work by name (core.work); importing them here, as
        # the admin discovers admin.py, keeps them leaves that no service imports.
        autodiscover_modules("tasks")
