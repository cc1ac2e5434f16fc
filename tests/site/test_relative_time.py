"""Times on cards: the words humanize's naturaltime would say, and the <time> around them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter, naturaltime
from django.utils import translation
from django.utils.timesince import timesince

from web.cards import OutletMark
from web.templatetags.newsroom_site import natural_time, relative_time
from web.templatetags.pictures import outlet_mark

OFFSETS = [
    timedelta(0),
    timedelta(seconds=1),
    timedelta(seconds=59),
    timedelta(seconds=60),
    timedelta(minutes=1, seconds=30),
    timedelta(minutes=59, seconds=59),
    timedelta(hours=1),
    timedelta(hours=23, minutes=59),
    timedelta(days=1),
    timedelta(days=1, minutes=30),
    timedelta(days=3, hours=4),
    timedelta(days=3, hours=4, minutes=59),
    timedelta(days=6, hours=23, minutes=59),
    timedelta(days=7),
    timedelta(days=8, hours=5),
    timedelta(days=14, hours=1),
    timedelta(days=27, hours=23, minutes=59),
    timedelta(days=28),
    timedelta(days=45, hours=2),
    timedelta(days=400),
    -timedelta(minutes=5),
    -timedelta(days=2),
]

pytestmark = pytest.mark.django_db  # the site's fixtures (tests/site/conftest.py)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("offset", OFFSETS, ids=str)
def test_the_words_are_naturaltimes(offset, language):
    # Half a second off the whole second, so that the clock ticking between the two calls
    # cannot move either across a boundary.
    with translation.override(language):
        moment = datetime.now(UTC) - offset - timedelta(milliseconds=500)
        expected = naturaltime(moment)
        assert natural_time(moment, datetime.now(UTC)) == expected


def test_words_of_the_past_weeks_hold_whatever_the_calendar():
    """Within four weeks the words follow from days and hours alone, which is what they
    are kept under: checked against naturaltime's at moments across month ends, a leap
    day and the turn of a year."""
    for now in [
        datetime(2026, 3, 1, 0, 30, tzinfo=UTC),
        datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
        datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC),
        datetime(2026, 7, 31, 23, 59, tzinfo=UTC),
    ]:
        for days in range(1, 28):
            for hours in (0, 1, 13, 23):
                moment = now - timedelta(days=days, hours=hours, minutes=17)
                expected = NaturalTimeFormatter.time_strings["past-day"] % {
                    "delta": timesince(
                        moment, now, time_strings=NaturalTimeFormatter.past_substrings
                    )
                }
                assert natural_time(moment, now) == expected, (now, days, hours)


def test_the_time_element_carries_the_moment_and_the_words():
    moment = datetime.now(UTC) - timedelta(hours=3, minutes=1)
    html = relative_time(moment)
    assert html.startswith(f'<time datetime="{moment.isoformat()}" title="')
    assert moment.strftime("%d %b %Y, %H:%M UTC") in html
    assert html.endswith("data-relative>3\xa0hours ago</time>")
    assert relative_time(None) == ""


def test_marks_escape_what_outlets_supply():
    logo = outlet_mark(OutletMark('/media/l"o<go>.png', "", 1))
    assert 'src="/media/l&quot;o&lt;go&gt;.png"' in logo
    text = outlet_mark(OutletMark("", "<b>", 3))
    assert text == '<span class="monogram monogram-3" aria-hidden="true">&lt;b&gt;</span>'
    assert "outlet-mark-large" in outlet_mark(OutletMark("", "HA", 2), 48)
