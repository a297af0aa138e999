from django.urls import path

from . import views_cards, views_digest, views_fairness, views_notes

app_name = "recognition"
urlpatterns = [
    path("stories/<int:pk>/thank/", views_notes.thank, name="thank"),
    path("stories/<int:pk>/thank/<int:note_id>/revoke/", views_notes.revoke, name="revoke"),
    path("reply/<str:token>/", views_notes.reply, name="reply"),
    path("stories/<int:pk>/card.pdf", views_cards.card, name="card"),
    path("cards/", views_cards.cards_month, name="cards_month"),
    path("digest/", views_digest.digest_settings, name="digest_settings"),
    path("digest/unsubscribe/<str:token>/", views_digest.unsubscribe, name="unsubscribe"),
    path("organisations/<slug:slug>/fairness/", views_fairness.fairness_page, name="fairness"),
]
