from pathlib import Path

from django.db import transaction

from peerreview.core import audit

from .library import DATA, PolicyError, read_review_types
from .models import ReviewType


@transaction.atomic
def load_review_types(*, by=None, folder: Path = DATA / "review_types") -> list[str]:
    """Load every review type file. A changed file must carry a new version number."""
    report = []
    for data in read_review_types(folder):
        existing = ReviewType.objects.filter(code=data["code"], version=data["version"]).first()
        if existing and existing.config != data:
            raise PolicyError(
                [
                    f"{data['code']} version {data['version']} has changed since it was loaded: "
                    "increase its version number so reviews that use the old version keep it"
                ]
            )
        if existing is None:
            ReviewType.objects.filter(code=data["code"]).update(is_current=False)
            rt = ReviewType.objects.create(code=data["code"], version=data["version"], name=data["name"], config=data)
            audit.record("policy.review_type_loaded", by=by, obj=rt, summary=f"{rt.name} v{rt.version}")
            report.append(f"Loaded {rt.name} (version {rt.version})")
        else:
            report.append(f"Unchanged {existing.name} (version {existing.version})")
    return report
