"""Settings for Newsroom, read from the environment with embedded defaults.

Without any variables set, the project runs on one machine with no servers:
SQLite (WAL), a local-memory cache and a file-system Celery broker. Set
DATABASE_URL and REDIS_URL to move to PostgreSQL and Redis.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime data (SQLite file, broker folders, beat schedule) lives here, outside the code.
DATA_DIR = Path(env_str("NEWSROOM_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public address: links in feeds, e-mails and the API are built from it, never from
# the request's Host header (the client chooses that, port included, and caches would
# share its choice). Unset, it is the development server's address with DEBUG on, and
# https:// with the first ALLOWED_HOSTS entry otherwise.
SITE_URL = env_str("SITE_URL").rstrip("/")
if not SITE_URL:
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS and not ALLOWED_HOSTS[0].startswith((".", "*")):
        SITE_URL = f"https://{ALLOWED_HOSTS[0]}"
    else:
        raise ImproperlyConfigured("SITE_URL must be set when ALLOWED_HOSTS names no host first")
# Scheme, host and port only: paths come from reverse(), and a user name has no place here.
if not re.fullmatch(r"https?://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} is not an address like https://host[:port]")

INSTALLED_APPS = [
    # Before the admin: its registration/ templates (log-in, password reset) are
    # the readers', not the admin's look-alikes.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "sources",
    "stories",
    "desk",
    "web",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After; an outage met
    # by the middleware below (sessions) reaches handler500, which answers the same.
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # The story and source pages (web/jinja2/): forty article cards render in half the
    # time Django's templates take. Second, so a name is looked for there last.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "web.jinja2_env.environment"},
    },
]

# --- Database -------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on the timeout instead of failing
    # mid-transaction with "database is locked".
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "newsroom.sqlite3",
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Kept open like PostgreSQL's: opening the file and setting the pragmas costs about
    # 1 ms of CPU, more than a whole cached page, and a connection outside a transaction
    # holds no lock. Django checks it before reuse.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
ON_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if ON_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
    # The planner compiles a query whose estimated cost is high (a scan of a million
    # articles) to machine code first: 0.4 s of compiling for a query that runs in 0.5 s.
    # The site's queries are short; none gains from it.
    # A random page read is priced at 1.1 sequential ones instead of 4, as PostgreSQL's
    # manual advises for solid-state storage and for data that fits in memory. At 4 the
    # planner walked the whole date index rather than the inbox's index (5.5 ms against
    # 0.8 ms), and counted a story search by reading the table rather than its trigram
    # indexes (55 ms against 5 ms), at a million articles.
    RANDOM_PAGE_COST = env_float("DB_RANDOM_PAGE_COST", 1.1)
    if not 0 < RANDOM_PAGE_COST <= 1000:  # NaN included
        raise ImproperlyConfigured(
            f"DB_RANDOM_PAGE_COST={RANDOM_PAGE_COST} is not a cost between 0 and 1000"
        )
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit=off -c random_page_cost={RANDOM_PAGE_COST}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# A failing Redis costs a request at most CACHE_TIMEOUT_MS per call; after a failure the
# process skips it for CACHE_BREAKER_SECONDS, then tries again (newsroom/cache.py).
CACHE_TIMEOUT_SECONDS = env_int("CACHE_TIMEOUT_MS", 250) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_timeout": CACHE_TIMEOUT_SECONDS,
                "socket_connect_timeout": CACHE_TIMEOUT_SECONDS,
                "breaker_seconds": env_int("CACHE_BREAKER_SECONDS", 5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

BROKER_DIR = DATA_DIR / "broker"
# A publish to a broker that is down or hung gives up within about twice this many seconds
# (the admin's "Fetch now" waits for it): each attempt is bounded, and retried once.
BROKER_TIMEOUT_SECONDS = env_int("NEWSROOM_BROKER_TIMEOUT", 2)
REDIS_BROKER_OPTIONS = {
    # Must exceed the longest task time limit, or Redis redelivers running tasks. The worker
    # crash test lowers it so that a killed worker's fetch is redelivered within seconds.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Without these a publish to a Redis that accepts but never answers waits forever.
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_OPTIONS
else:
    # A broker that needs no server: messages are files under var/broker/, which
    # the web process, the worker and beat on one machine all share.
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Without this kombu writes its control exchange files into the current directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # A worker whose processes are all busy looks for the next message this often (kombu's
        # default, 1 s, idled each freed process for half a second on average).
        "polling_interval": 0.1,
    }
# Celery retries a failed publish 3 times by default; once is enough before telling the
# editor. (The connection time-out applies to AMQP; the file-system broker fails at once.)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Cheap when nothing is due; each feed's own next_fetch_at decides when it is fetched.
    "enqueue-due-feeds": {"task": "sources.tasks.enqueue_due_feeds", "schedule": 60.0},
    # Older stories come to name the newer ones among their related stories.
    "refresh-recent-related": {"task": "desk.tasks.refresh_recent_related", "schedule": 3600.0},
}

# --- Auth, i18n, static -------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Pictures the site made itself (article thumbnails, outlet logos), served by the app under
# /media/ (newsroom/urls.py). Workers write here and web processes read: one shared folder.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("NEWSROOM_MEDIA_DIR", str(DATA_DIR / "media")))
# No uploaded file is kept past NEWSROOM_UPLOAD_MAX_BYTES (newsroom/uploads.py): a larger one
# arrives empty, with its size, so the form can say so without storing it.
FILE_UPLOAD_HANDLERS = ["newsroom.uploads.CappedUploadHandler"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "newsroom@localhost")

# --- Security -------------------------------------------------------------
# Production (DEBUG off) is secure by default; a deployment behind a TLS proxy
# sets SECURE_PROXY_SSL_HEADER, and one that terminates TLS elsewhere may turn
# the redirect off explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Our own pictures only: readers' browsers never contact an outlet (docs/ingestion.md).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Newsroom -----------------------------------------------------------------
# Feeds on private, loopback or link-local addresses are refused unless this is on
# (tests serve feeds on 127.0.0.1; an intranet deployment may need it too).
NEWSROOM_ALLOW_PRIVATE_FEEDS = env_bool("NEWSROOM_ALLOW_PRIVATE_FEEDS", False)
NEWSROOM_FEED_MAX_BYTES = env_int("NEWSROOM_FEED_MAX_BYTES", 15 * 1024 * 1024)
NEWSROOM_FEED_CONNECT_TIMEOUT = env_int("NEWSROOM_FEED_CONNECT_TIMEOUT", 10)
NEWSROOM_FEED_TOTAL_TIMEOUT = env_int("NEWSROOM_FEED_TOTAL_TIMEOUT", 30)
# Processor seconds parsing one feed may take (sources/time_limit.py); 0 means no limit.
NEWSROOM_FEED_PARSE_SECONDS = env_int("NEWSROOM_FEED_PARSE_SECONDS", 5)
# A worker holds a feed this long at most; longer than a fetch task may run, so a lease only
# expires once its holder is surely gone (the worker crash test shortens it).
NEWSROOM_FEED_LEASE_SECONDS = env_int("NEWSROOM_FEED_LEASE_SECONDS", 300)
# Beat queues due feeds in batches of this many; a worker fetches a batch this many at once.
NEWSROOM_FEED_CHECK_BATCH = env_int("NEWSROOM_FEED_CHECK_BATCH", 50)
NEWSROOM_FEED_CHECK_THREADS = env_int("NEWSROOM_FEED_CHECK_THREADS", 8)
# Articles' pictures (sources/thumbnails.py) and uploaded logos: caps checked before decoding.
NEWSROOM_IMAGE_MAX_BYTES = env_int("NEWSROOM_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env_int("NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)
NEWSROOM_UPLOAD_MAX_BYTES = env_int("NEWSROOM_UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
# A side whose share of rated sources is below this percentage makes a Blindspot.
NEWSROOM_BLINDSPOT_THRESHOLD = env_int("NEWSROOM_BLINDSPOT_THRESHOLD", 20)
# The desk files an article in its best suggested story by itself at or above this score
# (desk/auto_attach.py); 0, the default, leaves every article to an editor.
NEWSROOM_DESK_AUTO_ATTACH_SCORE = env_float("NEWSROOM_DESK_AUTO_ATTACH_SCORE", 0)
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 300)
# A story page's stored digest (web/digest.py) is computed again once it is this old, even
# if no change said so.
NEWSROOM_DIGEST_MAX_AGE_SECONDS = env_int("NEWSROOM_DIGEST_MAX_AGE_SECONDS", 3600)
# Readers' API answers, cached the same way (api/cache.py); 0 turns the cache off.
NEWSROOM_API_CACHE_SECONDS = env_int("NEWSROOM_API_CACHE_SECONDS", 300)
# While the database is unreachable, requests get 503 with this Retry-After (seconds).
NEWSROOM_DB_RETRY_AFTER = env_int("NEWSROOM_DB_RETRY_AFTER", 10)
# Failed log-ins (site and admin) refused for LOCKOUT seconds once an address or an account
# has this many in a window of that length. The account's limit is the higher one, so a
# stranger on one address cannot lock its owner out; a success clears the account's count.
NEWSROOM_LOGIN_FAILURES_PER_ADDRESS = env_int("NEWSROOM_LOGIN_FAILURES_PER_ADDRESS", 10)
NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT = env_int("NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT", 20)
NEWSROOM_LOGIN_LOCKOUT_SECONDS = env_int("NEWSROOM_LOGIN_LOCKOUT_SECONDS", 900)

# --- Billing (Stripe) -----------------------------------------------------------
# Without a secret key and a price, premium is granted by staff only and nothing calls
# Stripe (docs/billing.md). STRIPE_API_BASE points the client elsewhere (tests).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_PRICE_MONTHLY = env_str("STRIPE_PRICE_MONTHLY")
STRIPE_PRICE_YEARLY = env_str("STRIPE_PRICE_YEARLY")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# Where Stripe's Checkout and customer portal pages live: the premium page's forms redirect
# there, and the Content-Security-Policy's form-action must allow it on that page.
STRIPE_PAGES = env_list(
    "STRIPE_PAGES", ["https://checkout.stripe.com", "https://billing.stripe.com"]
)
# Seconds one call to Stripe may take; a signed event older than the tolerance is refused.
STRIPE_TIMEOUT = env_int("STRIPE_TIMEOUT", 10)
STRIPE_WEBHOOK_TOLERANCE = env_int("STRIPE_WEBHOOK_TOLERANCE", 300)
# Days of access kept after a renewal's payment fails, while Stripe retries the card.
NEWSROOM_BILLING_GRACE_DAYS = env_int("NEWSROOM_BILLING_GRACE_DAYS", 3)
# Stories a free reader may save; premium readers save as many as they like.
NEWSROOM_FREE_SAVED_STORIES = env_int("NEWSROOM_FREE_SAVED_STORIES", 5)

# --- API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    # Documents our error bodies and marks premium fields optional (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.NewsroomAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a request without credentials where some are needed gets
        # 401 with "WWW-Authenticate: Token" rather than a bare 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRate",
        "api.throttling.UserRate",
    ],
    # "<number>/<second|minute|hour|day>", or "off".
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("NEWSROOM_API_ANON_RATE", "120/minute"),
        "user": env_str("NEWSROOM_API_USER_RATE", "600/minute"),
    },
    # Proxies in front of the app whose X-Forwarded-For may be trusted; with 0 the
    # anonymous rate counts per connecting address and the header cannot dodge it.
    "NUM_PROXIES": env_int("NEWSROOM_API_NUM_PROXIES", 0),
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # No ?format=: JSON is the only representation.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Stories, their articles and the outlets that cover them. Reading is open to "
        "everyone; factuality ratings are premium data, present only for premium "
        "subscribers and staff (for everyone else those keys are absent). Errors share "
        'one shape: {"error": {"status", "code", "message", "fields"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: it would send the schema's address to swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
