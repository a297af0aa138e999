from django.urls import path

from . import views

app_name = "classify"

urlpatterns = [
    path("", views.model_list, name="models"),
    path("<int:pk>/", views.model_detail, name="model"),
    path("rounds/<int:pk>/uncertain-first/", views.uncertain_first, name="uncertain_first"),
]
