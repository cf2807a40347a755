from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "config.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        # Failed and successful logins feed the lockout counters (login_throttle.py).
        from . import login_throttle

        login_throttle.connect_signals()
