from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.accounts"
    label = "accounts"

    def ready(self) -> None:
        from opora.accounts import signals  # noqa: F401  (connects the login audit once the apps are loaded)
