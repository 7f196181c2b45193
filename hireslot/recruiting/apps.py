from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    name = "hireslot.recruiting"
    label = "recruiting"
    verbose_name = "Recruiting"
