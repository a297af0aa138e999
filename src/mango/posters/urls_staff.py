from django.urls import path

from . import views_staff

app_name = "campaigns"

urlpatterns = [path("", views_staff.campaign_list, name="list")]
