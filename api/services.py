"""The API's own writes: a reader's token."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def rotate_token(*, user) -> Token:
    """Give the user a new API token; the previous one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
