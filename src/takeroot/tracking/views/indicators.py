"""indicators pages."""

urlpatterns: list = []
