"""Query-string input of the public pages, cleaned: anything odd means the default."""

from sources.ratings import BUCKET_LABELS, BUCKETS

TABS = ("all", *BUCKETS)
TAB_LABELS = {"all": "All", **BUCKET_LABELS}
BLINDSPOT_SIDES = ("all", "left", "right")


def clean_tab(value: str | None) -> str:
    return value if value in TABS else "all"


def clean_page(value: str | None) -> int:
    """A page number from the query string; anything odd means page 1."""
    if value and value.isdigit() and len(value) <= 7:
        return max(int(value), 1)
    return 1


MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> tuple[str, bool]:
    """The search text without control characters or runs of spaces, at most
    MAX_QUERY_LENGTH long; and whether it had to be shortened."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    text = " ".join(printable.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def clean_side(value: str | None) -> str:
    return value if value in BLINDSPOT_SIDES else "all"
