"""Load the demo: create only the rows the database lacks, keyed on natural keys.

An existing row is never changed, so editors' own edits survive any number of runs.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Subscription
from desk.related import refresh_related
from desk.tasks import suggest_stories
from sources.models import Article, Feed, Owner, Source
from stories.models import Story, Topic
from stories.services import create_story, publish_story

from .content import ACCOUNTS, DEMO_FEED_REASON, OWNERS, RATED_BY, TOPICS
from .plan import ArticleSpec, DemoPlan, OutletSpec, StorySpec, build_plan

# --- Loading -------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What a load created, what it found already there, and what it left alone."""

    created: Counter = field(default_factory=Counter)
    present: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    new_accounts: set[str] = field(default_factory=set)

    def summary(self) -> str:
        kinds = ("owners", "sources", "feeds", "articles", "topics", "stories", "accounts")

        def listing(counter):
            parts = [f"{counter[kind]} {kind}" for kind in kinds if counter[kind]]
            return ", ".join(parts) or "nothing"

        line = (
            f"Demo data: created {listing(self.created)}; already present {listing(self.present)}."
        )
        if self.skipped:
            line += f" Left alone: {'; '.join(self.skipped)}."
        return line


def _load_owners(report: LoadReport) -> dict[str, int]:
    existing = dict(Owner.objects.filter(name__in=OWNERS).values_list("name", "id"))
    missing = [
        Owner(name=name, category=category, country=country)
        for name, (category, country) in OWNERS.items()
        if name not in existing
    ]
    Owner.objects.bulk_create(missing)
    report.created["owners"] += len(missing)
    report.present["owners"] += len(existing)
    return existing | {owner.name: owner.pk for owner in missing}


def _new_source(spec: OutletSpec, owner_id: int | None, today) -> Source:
    rated = today - timedelta(days=spec.rated_days_ago)
    return Source(
        name=spec.name,
        slug=spec.slug,
        homepage=f"https://{spec.domain}/",
        domain=spec.domain,
        country=spec.country,
        description=spec.description,
        owner_id=owner_id,
        bias=spec.bias,
        bias_rated_by=RATED_BY if spec.bias is not None else "",
        bias_rated_at=rated if spec.bias is not None else None,
        bias_rating_note=(
            "Based on a blind review of recent articles." if spec.bias is not None else ""
        ),
        factuality=spec.factuality,
        factuality_rated_by=RATED_BY if spec.factuality is not None else "",
        factuality_rated_at=rated if spec.factuality is not None else None,
    )


def _load_sources(plan: DemoPlan, owners: dict, now, report: LoadReport) -> dict[str, int]:
    """Demo outlet slug -> source id, for every demo outlet the database holds.

    The outlet at a demo domain is the demo's, even if editors renamed it or changed
    its slug. A demo slug held by an outlet at another domain belongs to someone
    else: the demo leaves it, and that outlet's feed and articles, out.
    """
    specs = plan.outlets
    by_domain = dict(
        Source.objects.filter(domain__in=[s.domain for s in specs]).values_list("domain", "id")
    )
    taken_slugs = set(
        Source.objects.filter(slug__in=[s.slug for s in specs]).values_list("slug", flat=True)
    )
    ids, missing = {}, []
    for spec in specs:
        if spec.domain in by_domain:
            ids[spec.slug] = by_domain[spec.domain]
        elif spec.slug in taken_slugs:
            report.skipped.append(f"source “{spec.slug}” belongs to another outlet")
        else:
            missing.append(_new_source(spec, owners.get(spec.owner), now.date()))
    Source.objects.bulk_create(missing)
    report.created["sources"] += len(missing)
    report.present["sources"] += len(ids)
    return ids | {source.slug: source.pk for source in missing}


def _load_feeds(plan: DemoPlan, sources: dict, report: LoadReport) -> dict[int, int]:
    """Source id -> id of its demo feed.

    Demo feeds are created inactive: .example domains never resolve, so fetching them
    would only pile up errors, and the reason shows in the admin.
    """
    specs = [spec for spec in plan.outlets if spec.slug in sources]
    existing = set(
        Feed.objects.filter(url__in=[s.feed_url for s in specs]).values_list("url", flat=True)
    )
    missing = [
        Feed(
            source_id=sources[spec.slug],
            url=spec.feed_url,
            title=f"{spec.name}: latest",
            is_active=False,
            disabled_reason=DEMO_FEED_REASON,
        )
        for spec in specs
        if spec.feed_url not in existing
    ]
    Feed.objects.bulk_create(missing)
    report.created["feeds"] += len(missing)
    report.present["feeds"] += len(existing)
    feeds = Feed.objects.filter(url__in=[s.feed_url for s in specs], source_id__in=sources.values())
    return dict(feeds.values_list("source_id", "id"))


def _load_articles(plan: DemoPlan, new_stories, sources, feeds, now, report) -> list[str]:
    """Create the missing articles of the inbox and of the stories about to be created;
    the links of the inbox articles created.

    A story that exists already (editors may have edited it) keeps its articles as
    they are: the demo adds none to it.
    """
    wanted = [a for spec in new_stories for a in spec.articles] + plan.inbox
    every_url = [a.url for a in plan.articles]
    existing = set(Article.objects.filter(url__in=every_url).values_list("url", flat=True))
    missing = [
        _new_article(spec, sources[spec.outlet.slug], feeds, now)
        for spec in wanted
        if spec.url not in existing and spec.outlet.slug in sources
    ]
    # Any other unique key an editor's data might hold (a feed GUID) skips the row.
    Article.objects.bulk_create(missing, batch_size=500, ignore_conflicts=True)
    report.created["articles"] += len(missing)
    report.present["articles"] += len(existing)
    inbox = {spec.url for spec in plan.inbox}
    return [article.url for article in missing if article.url in inbox]


def _new_article(spec: ArticleSpec, source_id: int, feeds: dict, now) -> Article:
    published = now - timedelta(minutes=spec.minutes_ago)
    feed_id = feeds.get(source_id)
    return Article(
        source_id=source_id,
        feed_id=feed_id,
        url=spec.url,
        guid=spec.url if feed_id else "",
        title=spec.title,
        summary=spec.summary,
        author=spec.author,
        published_at=published,
        fetched_at=min(published + timedelta(minutes=4), now),
    )


def _load_topics(report: LoadReport) -> dict[str, int]:
    """Demo topic name -> topic id.

    A topic with the demo's slug, or its name in any case, is the demo's even if editors
    changed it; it is left as it is.
    """
    slugs = {name: slugify(name) for name in TOPICS}
    found = Topic.objects.annotate(lowered=Lower("name")).filter(
        Q(slug__in=slugs.values()) | Q(lowered__in=[name.lower() for name in TOPICS])
    )
    by_key = {}
    for topic_id, slug, lowered in found.values_list("id", "slug", "lowered"):
        by_key[slug] = by_key[lowered] = topic_id
    ids, missing = {}, []
    for name, description in TOPICS.items():
        topic_id = by_key.get(slugs[name], by_key.get(name.lower()))
        if topic_id is None:
            missing.append(Topic(name=name, slug=slugs[name], description=description))
        else:
            ids[name] = topic_id
    Topic.objects.bulk_create(missing)
    report.created["topics"] += len(missing)
    report.present["topics"] += len(ids)
    return ids | {topic.name: topic.pk for topic in missing}


def _load_story(spec: StorySpec, topics: dict, now, report: LoadReport) -> None:
    """Create and publish the story from those of its articles that are in no story yet."""
    content = spec.content
    free = list(
        Article.objects.filter(url__in=[a.url for a in spec.articles], story_link__isnull=True)
    )
    if not free:
        report.skipped.append(f"story “{content.slug}”: all its articles are in other stories")
        return
    story = create_story(title=content.title, key_points=content.key_points, articles=free)
    publish_story(story=story, at=now - timedelta(minutes=spec.minutes_ago))
    story.topics.set([topics[name] for name in content.topics])
    report.created["stories"] += 1


def _load_accounts(now, report: LoadReport) -> None:
    """Create missing demo accounts; an existing account is never touched."""
    User = get_user_model()
    existing = set(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    report.present["accounts"] += len(existing)
    editors = Group.objects.filter(name="Editors").first()
    for account in ACCOUNTS:
        if account.username in existing:
            continue
        user = User.objects.create_user(
            username=account.username,
            email=f"{account.username}@newsroom.example",
            password=account.password,
            is_staff=account.editor,
        )
        if account.editor and editors is not None:
            user.groups.add(editors)
        elif account.editor:
            report.skipped.append("the Editors group is missing, so the editor has no rights")
        if account.premium:
            Subscription.objects.create(
                user=user,
                starts_at=now,
                expires_at=now + timedelta(days=365),
                note="Demo premium reader",
            )
        report.created["accounts"] += 1
        report.new_accounts.add(account.username)


@transaction.atomic
def load_demo(*, now=None) -> LoadReport:
    """Add whatever part of the demo the database lacks; never change existing rows."""
    now = now or timezone.now()
    plan, report = build_plan(), LoadReport()
    owners = _load_owners(report)
    sources = _load_sources(plan, owners, now, report)
    feeds = _load_feeds(plan, sources, report)
    topics = _load_topics(report)
    slugs = [spec.content.slug for spec in plan.stories]
    existing = set(Story.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    new_stories = [spec for spec in plan.stories if spec.content.slug not in existing]
    report.present["stories"] += len(existing)
    new_inbox = _load_articles(plan, new_stories, sources, feeds, now, report)
    for spec in new_stories:
        _load_story(spec, topics, now, report)
    if new_inbox:
        # Bulk-created, so ingestion's signal never queued them: suggested here, once the
        # stories exist, so a new demo's inbox is filled without a worker.
        waiting = Article.objects.filter(url__in=new_inbox, in_story=False)
        suggest_stories(list(waiting.order_by("pk").values_list("pk", flat=True)))
    if new_stories:
        # Computed here rather than left to a worker, so a new demo shows them at once.
        added = Story.objects.filter(slug__in=[spec.content.slug for spec in new_stories])
        refresh_related(added.values_list("pk", flat=True), neighbours=True)
    _load_accounts(now, report)
    return report
