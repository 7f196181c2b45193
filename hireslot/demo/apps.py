from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hireslot.demo"
    label = "demo"
    verbose_name = "Demo data"
