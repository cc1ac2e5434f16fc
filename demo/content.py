"""The demo's invented content: owners, outlets, stories, the inbox and the demo accounts.

The content itself is data, in content.toml next to this module; this module declares
the shapes it takes in Python and reads the file into them once, on import. Ratings
and owner categories are named there by their enum names ("LEAN_LEFT", "NONPROFIT").
demo.plan turns the content into rows to create; demo.load creates the missing ones.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from sources.ratings import UNRATED, Bias, Factuality, OwnerCategory

# --- Shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletSpec:
    name: str
    domain: str
    bias: int | None
    factuality: int | None
    owner: str | None
    country: str = "US"
    description: str = ""
    place: str = ""  # the town of a local paper, for local-angle headlines
    rated_days_ago: int = 90

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def feed_url(self) -> str:
        return f"https://{self.domain}/feeds/latest.xml"

    @property
    def bucket(self) -> str:
        return Bias.bucket_of(self.bias) or UNRATED


@dataclass(frozen=True)
class StoryContent:
    """What editors and outlets wrote about one event; headlines vary by outlet lean."""

    title: str
    section: str
    key_points: tuple[str, ...]
    headlines: dict[str, tuple[str, ...]]  # bucket ("left"/"center"/"right") -> templates
    follow_ups: tuple[str, ...]  # an outlet's second and later articles
    summaries: tuple[str, ...]
    topics: tuple[str, ...] = ()  # names of TOPICS
    local: tuple[str, ...] = ()  # templates with {place}, for local papers
    # How many outlets of each bucket cover it; None means every outlet there is.
    sources: dict[str, int] | None = None
    extra_articles: int = 0  # second articles from some of those outlets
    first_hours_ago: float = 24
    span_hours: float = 20

    @property
    def slug(self) -> str:
        return slugify(self.title)[:180]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    password: str
    role: str
    editor: bool = False
    premium: bool = False


# --- Reading content.toml -------------------------------------------------------------


def _rating(scale, name: str | None):
    """The member of a rating scale named in the file; None where it is left out or ""."""
    return scale[name] if name else None


def _outlet(table: dict) -> OutletSpec:
    """An outlet; a rating or owner left out of its table is None."""
    named = {
        "bias": _rating(Bias, table.get("bias")),
        "factuality": _rating(Factuality, table.get("factuality")),
        "owner": table.get("owner"),
    }
    return OutletSpec(**table | named)


def _story(table: dict) -> StoryContent:
    """TOML arrays become the tuples StoryContent holds."""
    lists = {key: tuple(value) for key, value in table.items() if isinstance(value, list)}
    headlines = {bucket: tuple(titles) for bucket, titles in table["headlines"].items()}
    return StoryContent(**table | lists | {"headlines": headlines})


_DATA = tomllib.loads((Path(__file__).parent / "content.toml").read_text(encoding="utf-8"))

SEED: int = _DATA["seed"]
RATED_BY: str = _DATA["rated_by"]
DEMO_FEED_REASON: str = _DATA["demo_feed_reason"]

# name -> (category, country)
OWNERS = {
    name: (OwnerCategory[owner["category"]], owner["country"])
    for name, owner in _DATA["owners"].items()
}

NAMED_OUTLETS = [_outlet(table) for table in _DATA["outlets"]]

_LOCAL = _DATA["local_papers"]
TOWNS: list[str] = _LOCAL["towns"]
MASTHEADS: list[str] = _LOCAL["mastheads"]
LOCAL_BIASES = [Bias[name] for name, count in _LOCAL["biases"].items() for _ in range(count)]
LOCAL_FACTUALITY = [_rating(Factuality, name) for name in _LOCAL["factuality"]]
LOCAL_OWNERS = [owner or None for owner in _LOCAL["owners"]]

# name -> description
TOPICS: dict[str, str] = _DATA["topics"]

REFERENCE = _story(_DATA["reference"])
STORIES = [REFERENCE, *(_story(table) for table in _DATA["stories"])]

# (topic, titles, summary): articles no story holds yet, waiting for an editor.
INBOX_TOPICS = [
    (topic["topic"], tuple(topic["titles"]), topic["summary"]) for topic in _DATA["inbox"]["topics"]
]
INBOX_PER_TOPIC: int = _DATA["inbox"]["per_topic"]

FIRST_NAMES: list[str] = _DATA["authors"]["first_names"]
LAST_NAMES: list[str] = _DATA["authors"]["last_names"]

# Printed by the command; they are set only when the account is created.
ACCOUNTS = [AccountSpec(**table) for table in _DATA["accounts"]]
