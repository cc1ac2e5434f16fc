"""SITE_URL, the address every absolute link is built from: its defaults and its refusals."""

import pytest

from .test_settings import run_python

PRINT_SITE_URL = (
    "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 50}


@pytest.fixture(autouse=True)
def no_site_url_in_the_environment(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)


def site_url(env, tmp_path) -> str:
    result = run_python(["-c", PRINT_SITE_URL], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_development_default_is_the_development_server(tmp_path):
    assert site_url({"DEBUG": "true"}, tmp_path) == "http://127.0.0.1:8000"


def test_production_defaults_to_https_on_the_first_allowed_host(tmp_path):
    env = PRODUCTION | {"ALLOWED_HOSTS": "news.example,www.news.example"}
    assert site_url(env, tmp_path) == "https://news.example"


def test_a_set_site_url_wins_and_loses_its_trailing_slash(tmp_path):
    env = PRODUCTION | {"ALLOWED_HOSTS": "news.example", "SITE_URL": "http://news.example:8080/"}
    assert site_url(env, tmp_path) == "http://news.example:8080"


@pytest.mark.parametrize(
    "value",
    ["news.example", "ftp://news.example", "https://news.example/path", "https://a@news.example",
     "https://news.example?x=1", "https://news.example:port"],
)  # fmt: skip
def test_an_address_that_is_not_scheme_host_and_port_is_refused(tmp_path, value):
    result = run_python(["-c", PRINT_SITE_URL], {"DEBUG": "true", "SITE_URL": value}, tmp_path)
    assert result.returncode != 0
    assert "is not an address like https://host[:port]" in result.stderr


def test_production_needs_it_when_the_first_allowed_host_is_a_pattern(tmp_path):
    env = PRODUCTION | {"ALLOWED_HOSTS": ".news.example"}
    result = run_python(["-c", PRINT_SITE_URL], env, tmp_path)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
