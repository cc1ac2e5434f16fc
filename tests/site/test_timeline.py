"""The coverage timeline: articles per side and period, as an SVG with a table beside it."""

from datetime import UTC, datetime, timedelta

import pytest

from sources.ratings import Bias
from stories.coverage import coverage_for
from tests.factories import SourceFactory, StoryFactory, attach, story_with_coverage
from web import timeline as timeline_module
from web.timeline import timeline_for, unit_for

from .big_story import big_story
from .html import by_id, elements, find, squash

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def page_html(client, story) -> str:
    response = client.get(f"/stories/{story.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def table_rows(html) -> list[list[str]]:
    """The timeline table's body rows: the period, then left, center, right, not rated, all."""
    parsed = elements(html)
    rows = [
        e
        for e in parsed
        if e.tag == "tr"
        and e.ancestors[-1].tag == "tbody"
        and any(a.attrs.get("id") == "timeline-table" for a in e.ancestors)
    ]
    return [[squash(c.text) for c in parsed if c.ancestors and c.ancestors[-1] is r] for r in rows]


def blocks(html) -> list:
    return find(html, "rect", class_="timeline-block")


@pytest.mark.parametrize(
    ("span", "unit"),
    [
        (timedelta(0), "hour"),
        (timedelta(hours=48), "hour"),
        (timedelta(hours=49), "day"),
        (timedelta(days=90), "day"),
        (timedelta(days=91), "week"),
        (timedelta(days=731), "month"),
    ],
)
def test_the_period_adapts_to_the_span_of_the_story(span, unit):
    assert unit_for(span) == unit


def test_months_roll_over_into_the_next_year():
    december = datetime(2025, 12, 1, tzinfo=UTC)
    assert timeline_module._next(december, "month") == datetime(2026, 1, 1, tzinfo=UTC)


def test_a_short_story_counts_articles_per_hour_and_side(client):
    story = StoryFactory()
    left, right = SourceFactory(bias=Bias.LEFT), SourceFactory(bias=Bias.LEAN_RIGHT)
    attach(story, left, n=2, published_at=START)
    attach(story, right, published_at=START + timedelta(minutes=20))
    attach(story, SourceFactory(bias=None), published_at=START + timedelta(hours=3))
    html = page_html(client, story)
    assert by_id(html, "timeline-chart").attrs["data-unit"] == "hour"
    assert table_rows(html) == [
        ["2 Mar 2026, 09:00 UTC", "2", "0", "1", "0", "3"],
        ["2 Mar 2026, 12:00 UTC", "0", "0", "0", "1", "1"],
    ]
    # The empty hours between are drawn as gaps: four periods, bars in the first and last.
    xs = sorted({float(rect.attrs["x"]) for rect in blocks(html)})
    assert len(xs) == 2 and xs[1] - xs[0] == pytest.approx(3 * 284 / 4)


def test_a_long_story_counts_per_day_and_fills_the_days_between(client):
    story = StoryFactory()
    outlet = SourceFactory(bias=Bias.CENTER)
    attach(story, outlet, published_at=START)
    attach(story, outlet, n=3, published_at=START + timedelta(days=3, hours=2))
    response = client.get(f"/stories/{story.slug}/")
    html = response.content.decode()
    assert by_id(html, "timeline-chart").attrs["data-unit"] == "day"
    assert [r[0] for r in table_rows(html)] == ["2 Mar 2026", "5 Mar 2026"]
    assert [p.total for p in response.context["page"].timeline.periods] == [1, 0, 0, 3]


def test_a_story_from_one_side_only_draws_only_that_side(client):
    story = StoryFactory()
    attach(story, SourceFactory(bias=Bias.FAR_RIGHT), n=4, published_at=START)
    attach(story, SourceFactory(bias=Bias.RIGHT), published_at=START + timedelta(days=1))
    html = page_html(client, story)
    assert {rect.attrs["data-side"] for rect in blocks(html)} == {"right"}
    description = squash(by_id(html, "timeline-desc").text)
    assert "Left 0, Center 0, Right 5, Not rated 0." in description


def test_a_story_with_one_article_has_one_bar_and_one_date(client):
    story = StoryFactory()
    attach(story, SourceFactory(name="Lone Wire", bias=Bias.CENTER), published_at=START)
    html = page_html(client, story)
    (bar,) = blocks(html)
    assert float(bar.attrs["height"]) == pytest.approx(128 - 26)
    assert len(find(html, "text", class_="timeline-date")) == 1
    assert squash(by_id(html, "timeline-desc").text).startswith("In 2 Mar 2026, 09:00 UTC:")
    assert "First reported by Lone Wire" in squash(by_id(html, "timeline-first").text)


def test_a_story_without_dated_articles_says_so_instead_of_drawing(client):
    story = StoryFactory()
    html = page_html(client, story)
    assert squash(by_id(html, "timeline-empty").text) == "No dated articles yet."
    assert not find(html, id="timeline-chart") and not find(html, id="timeline-table")


def test_the_first_reporter_is_marked_and_its_name_escaped(client):
    story = StoryFactory()
    attach(story, SourceFactory(name="<b>Early</b> & Co", bias=Bias.LEFT), published_at=START)
    attach(story, SourceFactory(bias=Bias.RIGHT), published_at=START + timedelta(hours=5))
    html = page_html(client, story)
    marker = by_id(html, "timeline-first")
    assert squash(marker.text) == "First reported by <b>Early</b> & Co"
    start = html.index('id="timeline-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert "<b>" not in chart and "&lt;b&gt;Early&lt;/b&gt; &amp; Co" in chart


def test_the_chart_scales_to_its_column_and_needs_no_inline_style(client):
    story = story_with_coverage(articles=12, sources=8)
    html = page_html(client, story)
    chart = by_id(html, "timeline-chart")
    assert chart.attrs["viewbox"] == "0 0 320 156"
    assert "width" not in chart.attrs and "height" not in chart.attrs
    assert chart.attrs["role"] == "img"
    assert chart.attrs["aria-labelledby"] == "timeline-title timeline-desc"
    section = html[html.index('id="timeline"') : html.index("</table>")]
    assert "style=" not in section


@pytest.mark.parametrize("articles", [10, 300])
def test_the_timeline_costs_one_query_at_any_size(django_assert_num_queries, articles):
    story = story_with_coverage(articles=articles, sources=min(articles, 60))
    coverage = coverage_for(story)
    with django_assert_num_queries(1):
        assert timeline_for(story, coverage) is not None


def test_a_20000_article_story_is_counted_by_the_database(client, django_assert_num_queries):
    story = big_story(articles=20_000, span=timedelta(days=10))
    coverage = coverage_for(story)
    with django_assert_num_queries(1):
        result = timeline_for(story, coverage)
    assert result.unit == "day" and len(result.periods) in (10, 11)
    assert sum(period.total for period in result.periods) == 20_000
    assert sum(total.count for total in result.totals) == 20_000
    assert by_id(page_html(client, story), "timeline-chart").attrs["data-unit"] == "day"
