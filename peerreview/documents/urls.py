from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("reviews/<int:review_id>/documents/", views.document_list, name="list"),
    path("reviews/<int:review_id>/documents/upload/", views.upload, name="upload"),
    path("reviews/<int:review_id>/documents/<int:document_id>/download/", views.download, name="download"),
]
