"""Sign-up that tells nobody whether an address has an account: the answer goes to the address.

A new address gets a signed link that creates the account once its owner chooses a
password there; nothing is stored before, so a stranger's attempt leaves no trace. An
address that already has an account gets a note saying so instead. The page after the
form is the same in both cases.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from sources.site_url import absolute_url

SALT = "accounts.signup"


def _mail(template: str, *, to: str, context: dict) -> None:
    subject = render_to_string(f"registration/{template}_subject.txt", context).strip()
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, None, [to])


def request_sign_up(*, username: str, email: str, next_url: str = "/") -> None:
    """E-mail the address a link that creates the account, or tell its owner it has one."""
    owner = get_user_model().objects.filter(email__iexact=email).first()
    if owner is not None:
        context = {
            "user": owner,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        }
        _mail("signup_existing", to=owner.email, context=context)
        return
    token = signing.dumps({"username": username, "email": email, "next": next_url}, salt=SALT)
    link = absolute_url(reverse("signup_confirm", args=[token]))
    _mail("signup_confirm", to=email, context={"username": username, "link": link})


def pending_sign_up(token: str) -> dict | None:
    """The sign-up a link carries, or None if it is forged, expired or its account exists."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    taken = Q(username__iexact=data["username"]) | Q(email__iexact=data["email"])
    return None if get_user_model().objects.filter(taken).exists() else data


def create_account(*, password_form):
    """Save the SetPasswordForm's new user; None when the same link was just used elsewhere."""
    try:
        with transaction.atomic():
            return password_form.save()
    except IntegrityError:  # the username's unique constraint: a second click won the race
        return None
