from .views import connections, dashboards, imports, indicators, risk

app_name = "tracking"
urlpatterns = [
    *connections.urlpatterns,  # LMS connections, mappings, unmatched statements
    *imports.urlpatterns,  # file imports
    *indicators.urlpatterns,  # the indicator set
    *risk.urlpatterns,  # at-risk flags, interventions, findings, design changes, settings
    *dashboards.urlpatterns,  # cohort, programme, team, organisation, my progress, exports
]
