"""dashboards pages."""

urlpatterns: list = []
