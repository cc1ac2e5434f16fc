"""Pages of long lists that count their rows only up to a limit."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_LIMIT = 1_000
# A paginator that trusts estimates skips counting when PostgreSQL's planner expects this
# many times more rows than the limit: its estimate of a text search comes from a sample of
# the column, and falling ten times short of the limit from there is not a sampling error.
ESTIMATE_MARGIN = 10


class CappedPaginator(Paginator):
    """A paginator whose count stops at `limit`: more rows are reported as `limit`.

    COUNT(*) reads every matching row, which at a million articles costs more than
    the page itself; counting at most limit + 1 rows (a LIMIT in a subquery) costs
    the same whatever the table's size. Pages therefore stop at `limit` rows:
    beyond that, lists are narrowed with filters (e.g. an earlier publication date).
    A thousand is ten admin pages of 100, fifty API pages of 20: the pages people read.
    """

    limit = COUNT_LIMIT
    # Set for a search (sources.admin.NewsroomAdmin): counting a thousand matches of a word
    # one headline in twenty-five has reads 25,000 headlines, whatever the table's size
    # beyond that; a page of a list that many rows match needs no count to say "more than".
    trust_estimates = False

    @cached_property
    def counted(self) -> int:
        """The number of rows, up to limit + 1: one more than limit tells there are more."""
        rows = self.object_list
        if self.trust_estimates and estimated_rows(rows) >= ESTIMATE_MARGIN * (self.limit + 1):
            return self.limit + 1
        if isinstance(rows, QuerySet):
            # Unordered: the order does not change how many there are.
            return rows.order_by()[: self.limit + 1].count()
        return min(len(rows), self.limit + 1)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def is_exact(self) -> bool:
        """Whether count is the number of rows, not the limit reached before counting them all."""
        return self.counted <= self.limit


def estimated_rows(rows) -> float:
    """How many rows PostgreSQL's planner expects the queryset to give (0 when unknown:
    other databases, or not a queryset). Planning only; nothing is read."""
    if not isinstance(rows, QuerySet) or connections[rows.db].vendor != "postgresql":
        return 0
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]
