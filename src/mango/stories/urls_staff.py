from django.urls import path

from mango.audit import views as audit_views

from . import views_import, views_moderation, views_staff

app_name = "staff"

urlpatterns = [
    path("", views_staff.story_list, name="stories"),
    path("stories/<int:pk>/", views_staff.story_detail, name="story"),
    path("import/", views_import.import_stories, name="import"),
    path("moderation/", views_moderation.queue, name="moderation"),
    path("moderation/<int:pk>/", views_moderation.moderate, name="moderate"),
    path("shared/", views_moderation.shared_list, name="shared"),
    path("audit/", audit_views.trail, name="audit"),
]
