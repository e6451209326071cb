from django.apps import AppConfig


class TimetableConfig(AppConfig):
    name = "peerreview.timetable"
    label = "timetable"
    verbose_name = "Timetable"
