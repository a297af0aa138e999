"""Consensus studies: the researcher's pages (signed in), the panellist's pages (signed link
only) and the live session's pages (facilitator signed in; participants with the room code)."""

from django.urls import path

from . import views_live, views_panel, views_results, views_staff

app_name = "consensus"
urlpatterns = [
    path("", views_staff.study_list, name="studies"),
    path("new/", views_staff.study_create, name="study_create"),
    path("<int:pk>/", views_staff.study_detail, name="study"),
    path("<int:pk>/edit/", views_staff.study_edit, name="study_edit"),
    path("<int:pk>/criteria/", views_staff.criterion_add, name="criterion_add"),
    path("<int:pk>/sections/", views_staff.section_add, name="section_add"),
    path("<int:pk>/items/new/", views_staff.item_create, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/", views_staff.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/edit/", views_staff.item_edit, name="item_edit"),
    path("<int:pk>/rule/", views_staff.rule_edit, name="rule"),
    path("<int:pk>/panel/", views_staff.panel, name="panel"),
    path("<int:pk>/panel/send/", views_staff.panel_send, name="panel_send"),
    path(
        "<int:pk>/panel/<int:panellist_pk>/revoke/",
        views_staff.panellist_revoke,
        name="panellist_revoke",
    ),
    path("<int:pk>/rounds/open/", views_staff.round_open, name="round_open"),
    path("<int:pk>/rounds/<int:number>/", views_staff.round_detail, name="round"),
    path("<int:pk>/rounds/<int:number>/close/", views_staff.round_close, name="round_close"),
    path("<int:pk>/results/", views_results.result_table, name="results"),
    path("<int:pk>/results/<str:fmt>/", views_results.export, name="export"),
    path("<int:pk>/codebook/", views_results.to_codebook, name="codebook"),
    path("<int:pk>/live/new/", views_live.session_create, name="live_create"),
    path("<int:pk>/live/<int:sid>/", views_live.facilitator, name="live"),
    path("<int:pk>/live/<int:sid>/screen/", views_live.screen, name="live_screen"),
    path("<int:pk>/live/<int:sid>/control/", views_live.control, name="live_control"),
    path("<int:pk>/live/<int:sid>/decide/", views_live.decide, name="live_decide"),
    # Panellists: their signed link is the only key.
    path("p/<str:token>/", views_panel.home, name="panel_home"),
    path("p/<str:token>/item/<int:n>/", views_panel.item, name="panel_item"),
    path("p/<str:token>/submit/", views_panel.submit, name="panel_submit"),
    path("p/<str:token>/propose/", views_panel.propose, name="panel_propose"),
    # Live participants: the room code.
    path("room/", views_live.join, name="room_join"),
    path("room/<str:code>/", views_live.room, name="room"),
    path("room/<str:code>/vote/", views_live.room_vote, name="room_vote"),
    path("room/<str:code>/rank/", views_live.room_rank, name="room_rank"),
]
