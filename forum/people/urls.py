from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("experts/", views.expert_list, name="experts"),
    path("experts/apply/", views.expert_apply, name="expert_apply"),
    path("users/<str:username>/", views.profile, name="profile"),
]
