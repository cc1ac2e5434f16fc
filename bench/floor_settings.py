"""Production settings (DEBUG off) serving floor_urls.py, with static files collected per run."""

import os
from pathlib import Path

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
# collectstatic writes the manifest here, so {% static %} costs what it costs in production.
STATIC_ROOT = Path(os.environ["NEWSROOM_DATA_DIR"]) / "static"
