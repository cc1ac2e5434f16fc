"""Test clients: logged in as a user, and the number of queries a page costs."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def logged_in(user, client_class: type[Client] = Client, **options) -> Client:
    """A fresh client_class(**options) (APIClient for the API) with user's session."""
    client = client_class(**options)
    client.force_login(user)
    return client


def count_queries(client, url) -> int:
    """The database queries of one successful GET of url."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)
