import pytest


@pytest.fixture(autouse=True)
def _quick_solves(settings):
    settings.PEERS_REVIEW_SECONDS = 2.0
    settings.PEERS_SEASON_SECONDS = 3.0
