"""The editor's day in a real browser: the admin's scripts work under the site's CSP."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group

from sources.models import Source
from stories.models import Story
from tests.factories import PASSWORD, ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_page(live_server, transactional_db, chromium):
    """Opens the admin in the shared headless Chromium, logged in as an editor."""
    user = UserFactory(username="desk", is_staff=True)
    # The group survives transactional flushes: migrate and flush re-ensure it.
    user.groups.add(Group.objects.get(name="Editors"))

    @contextmanager
    def open_admin():
        problems = []
        context = chromium.new_context(base_url=live_server.url)
        try:
            page = context.new_page()
            watch(page, problems)
            page.goto("/admin/login/")
            page.fill("#id_username", "desk")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            yield page, problems
            problems.extend(page.evaluate("window.cspViolations || []"))
        finally:
            context.close()

    return open_admin


def watch(page, problems):
    """Collect script errors, failed requests and CSP violations into problems."""
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.url}")
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " (window.cspViolations = window.cspViolations || [])"
        ".push(e.violatedDirective + ' ' + e.blockedURI));"
    )


def test_editor_adds_a_source_with_a_feed_and_the_slug_fills_itself(admin_page):
    with admin_page() as (page, problems):
        page.goto("/admin/sources/source/add/")
        page.locator("#id_name").press_sequentially("Harbour Light Gazette")
        slug = page.input_value("#id_slug")
        page.fill("#id_feeds-0-url", "https://harbourlight.example/rss")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
    assert slug == "harbour-light-gazette"
    source = Source.objects.get(slug="harbour-light-gazette")
    assert source.feeds.get().url == "https://harbourlight.example/rss"
    assert problems == []


def test_editor_gathers_articles_into_a_story_and_publishes_it(admin_page):
    outlet = SourceFactory(name="Quayside Record")
    first, second = ArticleFactory.create_batch(2, source=outlet)
    later = ArticleFactory(title="Ferry timetable changes", source=SourceFactory(name="Pier News"))

    with admin_page() as (page, problems):
        # Pick two waiting articles and make a story of them.
        page.goto(f"/admin/sources/article/?in_story=no&source__id__exact={outlet.pk}")
        page.check("#action-toggle")
        page.select_option("select[name=action]", "create_story_from_selected")
        page.click("button[name=index]")
        page.fill("#id_title", "Ferry fares rise")
        page.fill("#id_key_points", "Fares rise by a tenth in March.")
        page.click("input[name=confirm]")
        page.wait_for_selector("#story_form")

        # On the story: a second key point, one more article found by its outlet, publish.
        page.fill("#id_key_points-1-text", "Season tickets are spared.")
        page.click(".field-attach .select2-selection")
        page.keyboard.type("Pier News")
        page.click(".select2-results__option >> text=Ferry timetable changes — Pier News")
        page.select_option("#id_status", "published")
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")

        # Then: detach one article from the list and move the second key point up.
        page.check(f"#detach-{first.pk}")
        page.locator("button[title='Move up']").nth(1).click()
        page.wait_for_selector(".messagelist .success")
        listed = page.locator("#story-articles tbody tr").count()

    story = Story.objects.get(title="Ferry fares rise")
    assert story.is_published and story.published_at is not None
    assert list(story.key_points.values_list("text", flat=True)) == [
        "Season tickets are spared.",
        "Fares rise by a tenth in March.",
    ]
    assert set(story.story_articles.values_list("article_id", flat=True)) == {second.pk, later.pk}
    assert listed == 2
    assert problems == []
