"""connections pages."""

urlpatterns: list = []
