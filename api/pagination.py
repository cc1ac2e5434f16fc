"""Page-number pagination shared by every list: 20 a page, at most 100, counted up to 10,000."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from sources.pagination import COUNT_LIMIT, CappedPaginator
from sources.site_url import absolute_url

COUNT_HELP = (
    f"How many results the list has, counted up to {COUNT_LIMIT:,}: when more match, "
    f"count is {COUNT_LIMIT:,}, count_exact is false, and pages stop there (narrow the "
    "list, e.g. with published_before, to reach further)."
)


def _positive_int(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: [f"{name} must be a whole number of 1 or more."]})
    return value


class PageNumbers(PageNumberPagination):
    """?page=N&page_size=M.

    A page_size above 100 is served as 100; a page or page_size that is not a
    positive whole number is a 400 (DRF would quietly fall back to a default),
    a page past the last one a 404. Rows are counted only up to COUNT_LIMIT, so
    that a page costs the same at a million rows as at a thousand (CappedPaginator).
    """

    django_paginator_class = CappedPaginator
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    last_page_strings = ()

    @property
    def invalid_page_message(self) -> str:
        if self.paginator.is_exact:
            return "Page {page_number} is past the last page of results."
        return (
            f"Page {{page_number}} is past the last page: pages stop at {self.paginator.limit:,} "
            "results; narrow the list (e.g. with published_before) to reach further."
        )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(_positive_int(raw, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator):
        self.paginator = paginator  # for invalid_page_message
        return _positive_int(request.query_params.get(self.page_query_param, "1"), "page")

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_exact": paginator.is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"] |= {"description": COUNT_HELP, "maximum": COUNT_LIMIT}
        properties["count_exact"] = {
            "type": "boolean",
            "description": f"False when more than {COUNT_LIMIT:,} results match.",
        }
        # Keep the order of the response's keys.
        response["properties"] = {
            key: properties[key] for key in ("count", "count_exact", "next", "previous", "results")
        }
        response["required"] = ["count", "count_exact", "results"]
        return response

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(
            self.this_page_url(), self.page_query_param, self.page.next_page_number()
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self.this_page_url(), self.page_query_param)
        return replace_query_param(self.this_page_url(), self.page_query_param, number)

    def this_page_url(self) -> str:
        """This page's address on SITE_URL: DRF would take the scheme and host from the request."""
        return absolute_url(self.request.get_full_path())

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] += (
                    f" Values above {self.max_page_size} are served as {self.max_page_size}."
                )
        return parameters
