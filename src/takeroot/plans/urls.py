from django.urls import path

from .views import buddies, pages

app_name = "plans"
urlpatterns = [
    path("action-plans/", pages.my_plans, name="my_plans"),
    path("action-plans/team/", pages.team, name="team"),
    path("action-plans/support/", pages.support_list, name="support_list"),
    path("action-plans/support/<uuid:request_uuid>/", pages.support_answer, name="support_answer"),
    path("action-plans/cohort/<uuid:cohort_uuid>/", pages.cohort, name="cohort"),
    path("action-plans/open/<uuid:enrolment_uuid>/", pages.plan_open, name="plan_open"),
    path("action-plans/<uuid:uuid>/", pages.plan_detail_page, name="plan_detail"),
    path("action-plans/<uuid:uuid>/edit/", pages.plan_edit, name="plan_edit"),
    path("action-plans/<uuid:uuid>/submit/", pages.plan_submit, name="plan_submit"),
    path("action-plans/<uuid:uuid>/review/", pages.plan_review, name="plan_review"),
    path("action-plans/<uuid:uuid>/check-in/", pages.check_in, name="check_in"),
    path("action-plans/<uuid:uuid>/feedback/", pages.feedback, name="feedback"),
    path("action-plans/<uuid:uuid>/buddy/", buddies.choose, name="buddy_choose"),
    path("action-plans/<uuid:uuid>/goals/", buddies.buddy_view, name="buddy_view"),
    path("action-plans/<uuid:uuid>/cheers/", buddies.cheer, name="cheer"),
    path("action-plans/<uuid:uuid>/goals/new/", pages.goal_edit, name="goal_create"),
    path("action-plans/<uuid:uuid>/goals/<uuid:goal_uuid>/", pages.goal_edit, name="goal_edit"),
    path("action-plans/<uuid:uuid>/goals/<uuid:goal_uuid>/delete/", pages.goal_delete, name="goal_delete"),
    path("action-plans/<uuid:uuid>/tasks/new/", pages.task_edit, name="task_create"),
    path("action-plans/<uuid:uuid>/tasks/<uuid:task_uuid>/", pages.task_edit, name="task_edit"),
    path("action-plans/<uuid:uuid>/tasks/<uuid:task_uuid>/delete/", pages.task_delete, name="task_delete"),
]
