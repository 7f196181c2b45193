from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "hireslot.api"
    label = "api"
    verbose_name = "REST API"
