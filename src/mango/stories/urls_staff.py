from django.urls import path

from . import views_import, views_staff

app_name = "staff"

urlpatterns = [
    path("", views_staff.story_list, name="stories"),
    path("stories/<int:pk>/", views_staff.story_detail, name="story"),
    path("import/", views_import.import_stories, name="import"),
]
