from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [path("organisations/", views.organisation_list, name="list")]
