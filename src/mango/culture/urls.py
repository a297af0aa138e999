from django.urls import path

from . import views

app_name = "culture"
urlpatterns = [
    path("network/", views.network, name="network"),
    path("programme/<slug:slug>/", views.programme, name="programme"),
    path("programme/<slug:slug>/walls/", views.wall_links, name="wall_links"),
    path("teams/<int:pk>/", views.team_feed, name="team_feed"),
    path("organisations/<slug:slug>/", views.org_feed, name="org_feed"),
    path("stories/<int:pk>/touch/", views.touch, name="touch"),
    path("stories/<int:pk>/reflect/", views.reflect, name="reflect"),
    path("stories/<int:pk>/poster-<str:size>-<str:language>.pdf", views.poster, name="poster"),
    path("reflections.csv", views.reflections_export, name="reflections_export"),
    # Public, with a secret link only (story walls on a screen).
    path("wall/<str:token>/", views.wall, name="wall"),
    path("wall/<str:token>/stories.json", views.wall_stories, name="wall_stories"),
]
