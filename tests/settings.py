"""Test settings: production settings with the few changes tests need."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from newsroom.settings import *  # noqa: E402, F403

# Templates resolve {% static %} without running collectstatic first.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client's host, so that links in API answers and e-mails can be followed with it;
# tests about the address itself set their own.
SITE_URL = "http://testserver"

# Parallel test workers share one Redis; keep their cache keys apart.
if "default" in CACHES:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405

# API answers are cached only in the tests of that cache (tests/api/test_answer_cache.py):
# the others change data inside one transaction, where the content version is not raised.
NEWSROOM_API_CACHE_SECONDS = 0
