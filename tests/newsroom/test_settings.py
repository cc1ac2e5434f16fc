"""Settings come from the environment: defaults, switches and refusals."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'],"
    " 'name': str(s.DATABASES['default']['NAME']),"
    " 'options': s.DATABASES['default'].get('OPTIONS', {}),"
    " 'cache': s.CACHES['default']['BACKEND'], 'broker': s.CELERY_BROKER_URL,"
    " 'debug': s.DEBUG}))"
)


MANAGED = {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}


def run_python(args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in MANAGED and not key.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    env |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_DATA_DIR": str(tmp_path)}
    env |= env_overrides
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def probe(env, tmp_path):
    result = run_python(["-c", PROBE], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_need_no_servers(tmp_path):
    found = probe({"DEBUG": "true"}, tmp_path)
    assert found["db"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "newsroom.sqlite3")
    assert "journal_mode=WAL" in found["options"]["init_command"]
    assert found["options"]["transaction_mode"] == "IMMEDIATE"
    assert found["cache"].endswith("LocMemCache")
    assert found["broker"] == "filesystem://"


def test_database_and_redis_urls_switch_to_the_servers(tmp_path):
    found = probe(
        {
            "DEBUG": "true",
            "DATABASE_URL": "postgres://news:pw@db.internal:5432/newsroom",
            "REDIS_URL": "redis://cache.internal:6379/2",
        },
        tmp_path,
    )
    assert found["db"] == "django.db.backends.postgresql"
    assert found["name"] == "newsroom"
    assert found["cache"].endswith("RedisCache")
    assert found["broker"] == "redis://cache.internal:6379/2"
    # Short queries are not compiled; random reads are priced for memory and SSDs.
    assert found["options"]["options"] == "-c jit=off -c random_page_cost=1.1"


POSTGRES = {"DEBUG": "true", "DATABASE_URL": "postgres://news:pw@db.internal:5432/newsroom"}


def test_the_random_page_cost_can_be_set_for_other_storage(tmp_path):
    found = probe({**POSTGRES, "DB_RANDOM_PAGE_COST": "4"}, tmp_path)
    assert found["options"]["options"] == "-c jit=off -c random_page_cost=4.0"


def test_a_random_page_cost_that_is_no_cost_is_refused(tmp_path):
    for value in ["0", "-1", "nan", "inf", "1.1 -c work_mem=1TB", "cheap"]:
        result = run_python(["-c", PROBE], {**POSTGRES, "DB_RANDOM_PAGE_COST": value}, tmp_path)
        assert result.returncode != 0, value
        assert "DB_RANDOM_PAGE_COST=" in result.stderr, (value, result.stderr[-300:])


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_python(["-c", PROBE], {"DEBUG": "false"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_false(tmp_path):
    result = run_python(["-c", PROBE], {"DEBUG": "ture"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example",
    }
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
