"""Reader accounts: sign up, log in and out, change and reset the password."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a different long passphrase 42"


def test_a_logged_in_reader_is_sent_home_from_sign_up(client_as):
    assert client_as("free").get("/accounts/signup/")["Location"] == "/"


def test_logging_in_and_out(client):
    UserFactory(username="reader", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    assert "Signed in as" in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()


def test_a_wrong_password_does_not_log_in(client):
    UserFactory(username="reader", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "reader", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_changing_the_password(client):
    user = UserFactory(username="reader", password=PASSWORD)
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "Password changed" in client.get(response["Location"]).content.decode()


def test_the_password_change_page_needs_a_login(client):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_resetting_the_password_by_e_mail(client):
    user = UserFactory(username="reader", email="reader@example.org", password=PASSWORD)
    response = client.post("/accounts/password_reset/", {"email": "reader@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    (message,) = mail.outbox
    assert message.subject == "Reset your Newsroom password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session key
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page and "csrfmiddlewaretoken" in page
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_a_used_reset_link_is_refused_politely(client):
    response = client.get("/accounts/reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "This reset link is not valid any more" in response.content.decode()
