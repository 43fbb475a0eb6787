from django.urls import path

from .views import parts, plans

app_name = "competence"
urlpatterns = [
    path("competence-plans/", plans.plan_list, name="plan_list"),
    path("competence-plans/new/", plans.plan_create, name="plan_create"),
    path("competence-plans/rollup/", plans.rollup, name="rollup"),
    path("competence-plans/<uuid:uuid>/", plans.plan_detail_page, name="plan_detail"),
    path("competence-plans/<uuid:uuid>/edit/", plans.plan_edit, name="plan_edit"),
    path("competence-plans/<uuid:uuid>/delete/", plans.plan_delete, name="plan_delete"),
    path("competence-plans/<uuid:uuid>/calendar.ics", plans.plan_ics, name="plan_ics"),
    path("competence-plans/<uuid:uuid>/goals/new/", parts.goal_edit, name="goal_create"),
    path("competence-plans/<uuid:uuid>/goals/<uuid:goal_uuid>/", parts.goal_edit, name="goal_edit"),
    path("competence-plans/<uuid:uuid>/goals/<uuid:goal_uuid>/move/", parts.goal_move, name="goal_move"),
    path("competence-plans/<uuid:uuid>/goals/<uuid:goal_uuid>/delete/", parts.goal_delete, name="goal_delete"),
    path("competence-plans/<uuid:uuid>/initiatives/new/", parts.item_add, name="item_create"),
    path("competence-plans/<uuid:uuid>/initiatives/<uuid:item_uuid>/", parts.item_edit, name="item_edit"),
    path("competence-plans/<uuid:uuid>/initiatives/<uuid:item_uuid>/delete/", parts.item_delete, name="item_delete"),
    path("competence-plans/<uuid:uuid>/blocks/new/", parts.block_edit, name="block_create"),
    path("competence-plans/<uuid:uuid>/blocks/<uuid:block_uuid>/", parts.block_edit, name="block_edit"),
    path("competence-plans/<uuid:uuid>/blocks/<uuid:block_uuid>/delete/", parts.block_delete, name="block_delete"),
]
