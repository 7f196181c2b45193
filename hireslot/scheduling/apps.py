from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "hireslot.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from hireslot.messaging.services import delivery_failure_register
        from hireslot.scheduling.services.delivery import email_failure_notify

        delivery_failure_register(email_failure_notify)
