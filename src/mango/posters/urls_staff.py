from django.urls import path

from . import views_staff

app_name = "campaigns"

urlpatterns = [
    path("", views_staff.campaign_list, name="list"),
    path("new/", views_staff.campaign_new, name="new"),
    path("<int:pk>/edit/", views_staff.campaign_edit, name="edit"),
]
