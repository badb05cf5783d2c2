from django.urls import path

from . import space_views, views

app_name = "people"

urlpatterns = [
    path("experts/", views.expert_list, name="experts"),
    path("experts/apply/", views.expert_apply, name="expert_apply"),
    path("users/<str:username>/", views.profile, name="profile"),
    path("me/", space_views.me, name="me"),
    path("me/questions/", space_views.my_questions, name="my_questions"),
    path("me/answers/", space_views.my_answers, name="my_answers"),
    path("me/following/", space_views.following, name="following"),
]
