from django.urls import path

from .views import report

urlpatterns = [
    path("retrospectives/<uuid:uuid>/report/", report.report_page, name="report"),
    path("retrospectives/<uuid:uuid>/report.xlsx", report.report_xlsx, name="report_xlsx"),
    path("retrospectives/<uuid:uuid>/report.pdf", report.report_pdf, name="report_pdf"),
]
