from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signal_handlers
        from .editors import ensure_editors_group_after_migrate

        post_migrate.connect(ensure_editors_group_after_migrate, dispatch_uid="editors-group")
        signal_handlers.connect()
