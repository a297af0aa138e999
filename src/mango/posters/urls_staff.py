from django.http import HttpResponse
from django.urls import path

app_name = "campaigns"


def _placeholder(request):
    return HttpResponse("Campaign links are being built.", status=501)


urlpatterns = [path("", _placeholder, name="list")]
