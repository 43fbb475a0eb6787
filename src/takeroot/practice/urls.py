from django.urls import path

from .views import participant, trainer

app_name = "practice"
urlpatterns = [
    path("practice/", participant.my_tasks, name="my_tasks"),
    path("practice/reviews/", participant.reviews, name="reviews"),
    path("practice/cohort/<uuid:cohort_uuid>/", trainer.cohort_page, name="cohort"),
    path("practice/cohort/<uuid:cohort_uuid>/settings/", trainer.cohort_settings, name="cohort_settings"),
    path("practice/cohort/<uuid:cohort_uuid>/tasks/new/", trainer.task_create, name="task_create"),
    path("practice/tasks/<uuid:uuid>/", trainer.task_detail, name="task_detail"),
    path("practice/tasks/<uuid:uuid>/edit/", trainer.task_edit, name="task_edit"),
    path("practice/tasks/<uuid:uuid>/assign/", trainer.task_assign, name="task_assign"),
    path("practice/assignments/<uuid:uuid>/", participant.assignment_detail, name="assignment_detail"),
    path("practice/assignments/<uuid:uuid>/report/", participant.submit_report, name="submit_report"),
    path("practice/assignments/<uuid:uuid>/review/<str:role>/", participant.review, name="review"),
    path("practice/files/<uuid:uuid>/", participant.attachment, name="attachment"),
]
