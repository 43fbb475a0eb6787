app_name = "peers"
urlpatterns = []
