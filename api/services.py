"""The API's own writes: a reader's token."""

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def rotate_token(*, user) -> Token:
    """Give the user a new API token; the previous one stops working at once."""
    # Two rotations at once would both delete the old token and both insert a new one,
    # and the second insert breaks the token's one-per-user constraint. Locking the
    # user's row first makes them take turns (SQLite's BEGIN IMMEDIATE already does).
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
