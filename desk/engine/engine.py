"""The engine's one entry point for a new article: `Engine.place`.

Ingestion (through `desk.suggestions.suggest_for`) and the evaluation replay both call
it, article by article in time order, so what is measured is what editors get.
"""

import heapq
from collections.abc import Hashable, Iterator
from itertools import islice

from .model import HOUR, Article, Proposal, Suggestion, Tuning
from .scoring import attaches, candidates, score_stories
from .window import Story, Window, article_weights

# A proposal lists its newest articles, up to this many.
PROPOSAL_SHOWN = 20


class Engine:
    """Suggests stories for articles as they arrive, and groups the rest.

    An article that fits no story well enough starts a group of its own, which later
    articles may join. On the editors' desk such groups are provisional: they are
    never suggested as stories, and become proposed new stories once they hold enough
    articles from enough outlets. An unattended replay (`creates_stories`) treats
    them as stories straight away.
    """

    def __init__(self, tuning: Tuning | None = None, *, creates_stories: bool = False):
        self.tuning = tuning or Tuning()
        self.window = Window(self.tuning)
        self.creates_stories = creates_stories

    def remember(self, article: Article, story: Hashable) -> None:
        """Record an article that an editor filed in `story` (refiling moves it there)."""
        self.window.add(article, story)

    def place(self, article: Article) -> tuple[Suggestion, Proposal | None]:
        """Suggest stories for a new article and file it where it most likely belongs.

        It joins the best story when that scores at least the attach threshold, else
        the best provisional group above it, else a new group. Returns the suggestion
        and, when the article's group is a proposed new story, that proposal.
        """
        window, tuning = self.window, self.tuning
        window.advance(article.at)
        weights, words = article_weights(article, tuning.summary_weight)
        scored = score_stories(window, weights, article.at, article.outlet.casefold())
        stories = [row for row in scored if not window.stories[row[1]].provisional]
        found = candidates(window, stories, weights, words, article.at)
        target = self._target(scored, stories)
        window.add(article, target, provisional=not self.creates_stories, terms=(weights, words))
        return Suggestion(article.key, tuple(found)), self.proposal(target)

    def _target(self, scored: list, stories: list) -> Hashable:
        """The best story if it attaches, else the best provisional group if it does,
        else a new group."""
        groups = [row for row in scored if self.window.stories[row[1]].provisional]
        for rows in (stories, groups):
            if rows and attaches(self.window, *rows[0][2:]):
                return rows[0][1]
        return ("new", self.window.fresh_key())

    def proposal(self, key: Hashable) -> Proposal | None:
        """The proposal a provisional group makes, if it is big and varied enough."""
        story = self.window.stories.get(key)
        if story is None or not story.provisional:
            return None
        return proposal_of(story, self.tuning)

    def proposals(self) -> Iterator[Proposal]:
        """Every proposed new story in the window."""
        for key in list(self.window.stories):
            if found := self.proposal(key):
                yield found


def proposal_of(story: Story, tuning: Tuning) -> Proposal | None:
    """A group of articles in no story, as a proposal, or None when it is too small or
    comes from too few outlets."""
    size, outlets = len(story.members), len(story.outlets)
    if size < tuning.proposal_articles or outlets < tuning.proposal_outlets:
        return None
    common = heapq.nlargest(3, story.counts, key=story.counts.__getitem__)
    written: dict = {}
    for held in story.members.values():
        written.update((t, held.words[t]) for t in common if t in held.words)
        if len(written) == len(common):
            break
    hours = (story.last_at - story.first_at) / HOUR
    return Proposal(
        articles=tuple(islice(reversed(story.members), PROPOSAL_SHOWN))[::-1],
        size=size,
        outlets=outlets,
        reason=f"{size} articles from {outlets} outlets within {hours:.0f} h; "
        f"all about: {', '.join(written[t] for t in common)}",
    )
