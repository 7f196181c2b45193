from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hireslot.core"
    label = "core"
    verbose_name = "HireSlot core"
