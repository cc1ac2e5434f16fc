"""Page-number pagination shared by every list: 20 a page, at most 100."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from sources.site_url import absolute_url


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
    a page past the last one a 404.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    last_page_strings = ()
    invalid_page_message = "Page {page_number} is past the last page of results."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return min(_positive_int(raw, self.page_size_query_param), self.max_page_size)

    def get_page_number(self, request, paginator):
        return _positive_int(request.query_params.get(self.page_query_param, "1"), "page")

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
