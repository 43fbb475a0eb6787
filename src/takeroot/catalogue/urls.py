from django.urls import path

from .views import imports, initiatives

app_name = "catalogue"
urlpatterns = [
    path("catalogue/", initiatives.catalogue, name="catalogue"),
    path("catalogue/new/", initiatives.initiative_edit, name="initiative_create"),
    path("catalogue/import/", imports.initiative_import_upload, name="initiative_import"),
    path("catalogue/import/<uuid:uuid>/", imports.initiative_import_preview, name="initiative_import_preview"),
    path("catalogue/<uuid:uuid>/", initiatives.initiative_edit, name="initiative_edit"),
    path("catalogue/<uuid:uuid>/delete/", initiatives.initiative_delete, name="initiative_delete"),
]
