from django.apps import AppConfig


class ConferencingConfig(AppConfig):
    name = "hireslot.conferencing"
    label = "conferencing"
    verbose_name = "Conferencing"
