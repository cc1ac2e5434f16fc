"""The Jinja2 environment of the story and source pages (web/jinja2/): the same helpers as
the Django templates' tags and filters, called as the plain functions behind them.

Those pages render forty article cards each; Jinja2 compiles a template to Python,
where Django's template engine walks about a thousand nodes per page.
"""

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.timezone import template_localtime
from jinja2 import Environment

from .cards import page_url
from .templatetags.newsroom_site import (
    bias_bar,
    bias_class,
    not_rated,
    outbound,
    pagination,
    query,
    relative_time,
    width_class,
)
from .templatetags.pictures import outlet_mark, thumbnail


def url(name: str, *args) -> str:
    """{% url %}: the path of a named page; that of a page per slug comes from page_url's cache."""
    if len(args) == 1:
        return page_url(name, args[0])
    return reverse(name, args=args)


def date(value, arg=None) -> str:
    """Django's date filter, in the current time zone as Django's templates apply it."""
    return defaultfilters.date(template_localtime(value), arg)


def as_django_escapes(value):
    """Quotes escaped as Django escapes them (&quot;, &#x27;), so that a page reads the same
    whichever engine renders it; Jinja2 escapes everything else alike, and faster."""
    if type(value) is str and ('"' in value or "'" in value):
        return escape(value)
    return value


def environment(**options) -> Environment:
    # On whatever the settings say: the pages show headlines and summaries from feeds.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, finalize=as_django_escapes, **options)
    env.globals.update(
        url=url,
        static=static,
        bias_bar=bias_bar,
        not_rated=not_rated,
        pagination=pagination,
        query=query,
        relative_time=relative_time,
        outlet_mark=outlet_mark,
        thumbnail=thumbnail,
    )
    env.filters.update(
        bias_class=bias_class,
        outbound=outbound,
        width_class=width_class,
        capfirst=defaultfilters.capfirst,
        date=date,
        pluralize=defaultfilters.pluralize,
        truncatechars=defaultfilters.truncatechars,
    )
    return env
