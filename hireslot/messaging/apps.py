from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "hireslot.messaging"
    label = "messaging"
    verbose_name = "Messaging"
