app_name = "consensus"
urlpatterns: list = []
