"""The API's page-number pagination, with bounds, shared by every app's list endpoints."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


class Pages(PageNumberPagination):
    """``?page=&page_size=``; numbers beyond any real list answer 422 instead of overflowing the
    database's offset arithmetic."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
