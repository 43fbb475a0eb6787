app_name = "wins"
urlpatterns = []
