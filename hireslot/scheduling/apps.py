from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "hireslot.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
