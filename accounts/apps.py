from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers and premium"

    def ready(self):
        from stories.signals import stories_merged

        from .signal_handlers import cancel_billing_of_deleted_reader, keep_readers_stories_on_merge

        pre_delete.connect(
            cancel_billing_of_deleted_reader,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.cancel_billing_of_deleted_reader",
        )
        stories_merged.connect(
            keep_readers_stories_on_merge, dispatch_uid="accounts.keep_readers_stories_on_merge"
        )
