from django.urls import path

from . import views

app_name = "transcripts"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("import/", views.import_files, name="import"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/codes/<int:code_pk>/", views.code_segments, name="code"),
    path("<int:pk>/cooccurrence/", views.cooccurrence_table, name="cooccurrence"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/export.qdpx", views.export_qdpx, name="export_qdpx"),
    path("<int:pk>/codebook.qdc", views.export_qdc, name="export_qdc"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("segments/<int:pk>/delete/", views.segment_delete, name="segment_delete"),
]
