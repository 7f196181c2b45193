from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hireslot.web"
    label = "web"
    verbose_name = "Recruiter pages"
