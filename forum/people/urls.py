from django.urls import path, re_path

from . import photo_views, space_views, views

app_name = "people"

urlpatterns = [
    path("experts/", views.expert_list, name="experts"),
    path("experts/apply/", views.expert_apply, name="expert_apply"),
    path("experts/apply/photo/", photo_views.photo_upload, name="expert_photo_upload"),
    path("experts/apply/photo/remove/", photo_views.photo_remove, name="expert_photo_remove"),
    re_path(r"^experts/photos/(?P<sha256>[0-9a-f]{64})\.jpg$", photo_views.photo_image, name="expert_photo"),
    path("users/<str:username>/", views.profile, name="profile"),
    path("users/<str:username>/photo/remove/", photo_views.photo_takedown, name="expert_photo_takedown"),
    path("me/", space_views.me, name="me"),
    path("me/questions/", space_views.my_questions, name="my_questions"),
    path("me/answers/", space_views.my_answers, name="my_answers"),
    path("me/following/", space_views.following, name="following"),
]
