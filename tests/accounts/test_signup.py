"""Signing up says nothing about whether an address has an account; the e-mail does."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {"username": "newreader", "email": "new@example.org"} | overrides
    return client.post("/accounts/signup/", data)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", message.body).group(1)


def choose_password(client, link, password=PASSWORD, again=None):
    return client.post(link, {"new_password1": password, "new_password2": again or password})


def test_a_new_and_a_taken_address_get_the_same_answer(client, django_user_model):
    UserFactory(username="owner", email="taken@example.org")
    new = signup(client, username="first", email="new@example.org")
    taken = signup(client, username="second", email="TAKEN@example.org")
    assert (new.status_code, new["Location"]) == (taken.status_code, taken["Location"])
    assert new["Location"] == "/accounts/signup/done/"
    page = client.get(new["Location"])
    assert page.status_code == 200 and "Check your e-mail" in page.content.decode()
    # Nothing is created until the address's owner follows the link.
    assert list(django_user_model.objects.values_list("username", flat=True)) == ["owner"]


def test_the_owner_of_a_taken_address_is_told_and_no_second_account_is_made(client):
    UserFactory(username="owner", email="taken@example.org")
    signup(client, username="second", email="TAKEN@example.org")
    (message,) = mail.outbox
    assert message.to == ["taken@example.org"]
    assert "Someone tried to sign up for Newsroom with this address" in message.body
    assert "/accounts/login/" in message.body and "/accounts/password_reset/" in message.body
    assert "/accounts/signup/confirm/" not in message.body
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1


def test_a_new_address_gets_a_link_that_creates_the_account_and_logs_in(client):
    signup(client)
    (message,) = mail.outbox
    assert message.to == ["new@example.org"] and message.subject == "Confirm your Newsroom account"
    link = link_in(message)
    assert "Choose your password" in client.get(link).content.decode()
    response = choose_password(client, link)
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="newreader")
    assert user.email == "new@example.org" and not user.is_staff and user.check_password(PASSWORD)
    assert "Signed in as <strong>newreader</strong>" in client.get("/").content.decode()


def test_a_used_link_is_refused(client):
    signup(client)
    link = link_in(mail.outbox[0])
    choose_password(client, link)
    client.logout()
    page = client.get(link).content.decode()
    assert "This sign-up link is not valid any more" in page
    assert choose_password(client, link).status_code == 200
    assert get_user_model().objects.filter(email="new@example.org").count() == 1


def test_a_forged_link_is_refused(client):
    page = client.get("/accounts/signup/confirm/eyJ1c2VybmFtZSI6Im1hbGxvcnkifQ:forged/")
    assert page.status_code == 200
    assert "This sign-up link is not valid any more" in page.content.decode()


def test_signing_up_returns_to_a_page_on_this_site(client):
    signup(client, next="/blindspot/")
    assert choose_password(client, link_in(mail.outbox[0]))["Location"] == "/blindspot/"


def test_signing_up_never_redirects_off_site(client):
    signup(client, next="https://evil.example/")
    assert choose_password(client, link_in(mail.outbox[0]))["Location"] == "/"


def test_a_taken_user_name_is_said_as_user_names_are_public(client):
    UserFactory(username="Reader")
    response = signup(client, username="reader")
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert mail.outbox == []


def test_mismatched_passwords_say_what_is_wrong(client):
    signup(client)
    response = choose_password(client, link_in(mail.outbox[0]), again="something else entirely")
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="newreader").exists()
    assert "didn’t match" in response.content.decode()
