"""The demo plan: deterministic, fictional, and shaped as the product needs."""

import random
from urllib.parse import urlsplit

from demo.content import NAMED_OUTLETS, OWNERS, REFERENCE
from demo.plan import build_plan
from sources.ratings import Bias, Factuality


def test_the_plan_is_the_same_every_time_whatever_the_global_random_state():
    random.seed(1)
    first = build_plan()
    random.seed(2)
    assert build_plan() == first


def test_every_outlet_feed_and_article_lives_under_a_reserved_example_domain():
    plan = build_plan()
    articles = plan.articles
    assert all(outlet.domain.endswith(".example") for outlet in plan.outlets)
    assert all(urlsplit(o.feed_url).hostname == o.domain for o in plan.outlets)
    assert all(urlsplit(a.url).hostname == a.outlet.domain for a in articles)


def test_article_urls_slugs_and_domains_are_unique():
    plan = build_plan()
    urls = [a.url for a in plan.articles]
    assert len(urls) == len(set(urls))
    assert len({o.slug for o in plan.outlets}) == len(plan.outlets)
    assert len({o.domain for o in plan.outlets}) == len(plan.outlets)


def test_named_outlets_cover_the_whole_bias_scale_and_every_factuality_level():
    assert {o.bias for o in NAMED_OUTLETS} == {*Bias.values, None}
    assert {o.factuality for o in NAMED_OUTLETS} == {*Factuality.values, None}
    assert 1 <= sum(o.bias is None for o in NAMED_OUTLETS) <= 2
    assert 18 <= len(NAMED_OUTLETS) <= 22


def test_owners_span_several_categories_and_some_own_several_outlets():
    owned = [o.owner for o in NAMED_OUTLETS]
    assert all(owned)
    assert len({OWNERS[name][0] for name in owned}) >= 6
    assert sum(owned.count(name) > 1 for name in set(owned)) >= 3


def test_an_outlet_writes_different_follow_ups_each_later_than_its_previous_article():
    story = next(s for s in build_plan().stories if s.content is REFERENCE)
    by_outlet = {}
    for article in story.articles:
        by_outlet.setdefault(article.outlet.slug, []).append(article)
    for articles in by_outlet.values():
        assert len({a.title for a in articles}) == len(articles)
        assert [a.minutes_ago for a in articles] == sorted(
            (a.minutes_ago for a in articles), reverse=True
        )


def test_headlines_of_the_reference_story_vary_by_outlet():
    story = next(s for s in build_plan().stories if s.content is REFERENCE)
    first_headlines = {a.title for a in story.articles if a.url.endswith("-1")}
    assert len(first_headlines) >= 15
