from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and feeds"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
