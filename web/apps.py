from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Public site"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
