from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hireslot.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"
