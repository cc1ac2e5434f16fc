from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers and premium"

    def ready(self):
        from .signal_handlers import cancel_billing_of_deleted_reader

        pre_delete.connect(
            cancel_billing_of_deleted_reader,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.cancel_billing_of_deleted_reader",
        )
