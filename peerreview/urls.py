from django.urls import include, path

urlpatterns = [
    path("", include("peerreview.reviews.urls")),
    path("", include("peerreview.accounts.urls")),
    path("", include("peerreview.core.urls")),
    path("", include("peerreview.councils.urls")),
    path("", include("peerreview.policy.urls")),
    path("", include("peerreview.documents.urls")),
    path("", include("peerreview.timetable.urls")),
    path("", include("peerreview.peers.urls")),
    path("", include("peerreview.evidence.urls")),
]
