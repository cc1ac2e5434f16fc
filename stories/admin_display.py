"""HTML pieces the stories admin shows; every value is escaped by format_html."""

from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join

from .coverage import BiasSplit, Coverage, MixEntry


def moment(value) -> str:
    """A date and time as the admin shows them, in the site's time zone."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


def split_text(split: BiasSplit) -> str:
    """E.g. "L 3 · C 5 · R 2 · 1 not rated"."""
    text = f"L {split.left} · C {split.center} · R {split.right}"
    return f"{text} · {split.unrated} not rated" if split.unrated else text


def _mix_text(entries: list[MixEntry]) -> str:
    shown = [
        f"{entry.label} {entry.count} ({entry.percentage}%)" for entry in entries if entry.count
    ]
    return ", ".join(shown) or "—"


def _first_text(coverage: Coverage) -> str:
    first = coverage.first_article
    if first is None:
        return "—"
    return f"{first.source.name}, {moment(first.published_at)}: {first.title}"


def coverage_table(coverage: Coverage):
    """The story's coverage figures as a small table for the change page."""
    percentages = coverage.bias.percentages
    rows = [
        ("Articles", coverage.article_count),
        ("Sources", coverage.source_count),
        ("Left · Center · Right", split_text(coverage.bias)),
        (
            "Bias distribution",
            f"L {percentages['left']}% · C {percentages['center']}% · R {percentages['right']}%"
            f" of rated sources; {coverage.bias.sentence}",
        ),
        ("Factuality", _mix_text(coverage.factuality or [])),
        ("Ownership", _mix_text(coverage.ownership)),
        ("First reported by", _first_text(coverage)),
        ("Last updated", moment(coverage.last_updated)),
    ]
    body = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
    return format_html('<table class="coverage-figures">{}</table>', body)
