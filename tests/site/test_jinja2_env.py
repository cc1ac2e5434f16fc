"""The Jinja2 environment of the story and source pages escapes as Django's templates do."""

import pytest
from django.utils.html import escape

from web.jinja2_env import environment

pytestmark = pytest.mark.django_db  # the site's fixtures bump the pages' version

HOSTILE = """<script>alert("x")</script> & 'quoted' <img src=x onerror=alert(1)>"""


def test_text_is_escaped_even_when_the_settings_turn_autoescaping_off():
    env = environment(autoescape=False)
    html = env.from_string('<p title="{{ text }}">{{ text }}</p>').render(text=HOSTILE)
    assert html == f'<p title="{escape(HOSTILE)}">{escape(HOSTILE)}</p>'
    assert "&quot;x&quot;" in html and "&#x27;quoted&#x27;" in html


def test_safe_markup_from_the_helpers_is_left_as_it_is():
    env = environment()
    html = env.from_string("{{ thumbnail(url) }}").render(url='x.jpg" onload="alert(1)')
    assert html.startswith('<img class="card-thumbnail" src="x.jpg&quot; onload=&quot;alert(1)"')
