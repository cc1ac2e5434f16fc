"""Pages of long lists that count their rows only up to a limit."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_LIMIT = 1_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `limit`: more rows are reported as `limit`.

    COUNT(*) reads every matching row, which at a million articles costs more than
    the page itself; counting at most limit + 1 rows (a LIMIT in a subquery) costs
    the same whatever the table's size. Pages therefore stop at `limit` rows:
    beyond that, lists are narrowed with filters (e.g. an earlier publication date).
    A thousand is ten admin pages of 100, fifty API pages of 20: the pages people read.
    """

    limit = COUNT_LIMIT

    @cached_property
    def counted(self) -> int:
        """The number of rows, up to limit + 1: one more than limit tells there are more."""
        rows = self.object_list
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
