from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "hireslot.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from hireslot.core.leases import sweep_register
        from hireslot.messaging.services import outgoing_emails_lapsed_requeue

        sweep_register(outgoing_emails_lapsed_requeue)
