from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editor's desk"

    def ready(self):
        from . import merge_handlers, related_handlers, signal_handlers

        signal_handlers.connect()
        related_handlers.connect()
        merge_handlers.connect()
