"""risk pages."""

urlpatterns: list = []
