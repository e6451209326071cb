"""The document checklist, uploads checked by content, and downloads that are permission-checked and logged."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peerreview.core.models import AccessEvent, AuditEvent
from peerreview.core.roles import Role
from peerreview.core.testing import error_messages, sign_in
from peerreview.documents.models import Document

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _docx() -> bytes:
    from docx import Document as Docx

    buf = io.BytesIO()
    d = Docx()
    d.add_paragraph("Improvement plan")
    d.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "Referrals"
    wb.save(buf)
    return buf.getvalue()


def _pptx() -> bytes:
    from pptx import Presentation

    buf = io.BytesIO()
    Presentation().save(buf)
    return buf.getvalue()


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _upload(client, review, name, content, code="position_statement", title=""):
    return client.post(
        reverse("documents:upload", kwargs={"review_id": review.pk}),
        {"checklist_code": code, "title": title, "file": SimpleUploadedFile(name, content)},
    )


def _stored_files():
    root = settings.PRIVATE_STORAGE_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    "name,make,kind",
    [
        ("Position statement.pdf", lambda: PDF, "pdf"),
        ("plan.docx", _docx, "docx"),
        ("data.XLSX", _xlsx, "xlsx"),
        ("slides.pptx", _pptx, "pptx"),
        ("figures.csv", lambda: "area,count\nNorth,3\nSöuth,4\n".encode("cp1252"), "csv"),
    ],
)
def test_organiser_uploads_each_allowed_kind_of_file(world, name, make, kind):
    content = make()
    response = _upload(world.client(Role.ORGANISER), world.review, name, content)
    assert response.status_code == 302, error_messages(response)
    doc = Document.objects.exclude(pk=world.document.pk).get()
    assert doc.kind == kind and doc.original_name == name and doc.size == len(content)
    assert doc.path.read_bytes() == content
    assert AuditEvent.objects.filter(verb="document.uploaded", object_ref=str(doc.pk)).exists()


def test_stored_files_have_random_names_outside_the_web_root(world):
    _upload(world.client(Role.ORGANISER), world.review, "../../../etc/passwd.pdf", PDF)
    doc = Document.objects.exclude(pk=world.document.pk).get()
    assert doc.original_name == "passwd.pdf"
    assert doc.path.name == doc.stored_name.hex and "passwd" not in str(doc.path)
    assert doc.path.is_relative_to(settings.PRIVATE_STORAGE_ROOT)
    assert not doc.path.is_relative_to(settings.STATIC_ROOT)
    assert all(not doc.path.is_relative_to(d) for d in settings.STATICFILES_DIRS)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("report.pdf", PNG, "The selected file is called .pdf but its contents are not a PDF file"),
        (
            "report.pdf",
            b"just some text pretending",
            "The selected file is called .pdf but its contents are not a PDF file",
        ),
        ("plan.docx", _zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"}), "are not a Word file"),
        ("plan.docx", _zip({"hello.txt": "hi"}), "are not a Word file"),
        ("plan.docx", b"PK\x03\x04 broken zip", "are not a Word file"),
        ("data.xlsx", PDF, "are not a Excel file"),
        ("old.doc", PDF, "are not a Word file"),
        ("data.csv", PNG, "are not a CSV file"),
        ("photo.png", PNG, "The selected file must be a PDF, Word, Excel, PowerPoint or CSV file"),
        ("noextension", PDF, "The selected file must be a PDF, Word, Excel, PowerPoint or CSV file"),
        ("virus.exe", b"MZ\x90\x00", "The selected file must be a PDF, Word, Excel, PowerPoint or CSV file"),
    ],
)
def test_organiser_cannot_upload_a_file_whose_content_does_not_match(world, name, content, message):
    before = _stored_files()
    response = _upload(world.client(Role.ORGANISER), world.review, name, content)
    assert response.status_code == 200
    errors = error_messages(response)
    assert len(errors) == 1 and message in errors[0]
    assert 'href="#id_file"' in response.content.decode()
    assert Document.objects.count() == 1
    assert _stored_files() == before


def test_organiser_cannot_upload_a_png_renamed_pdf(world):
    response = _upload(world.client(Role.ORGANISER), world.review, "scan.pdf", PNG)
    assert error_messages(response) == [
        "The selected file is called .pdf but its contents are not a PDF file. Save it again as a real PDF file and upload that"
    ]


def test_an_oversized_upload_is_refused_with_a_message(world, settings):
    settings.MAX_UPLOAD_MB = 1
    before = _stored_files()
    big = PDF + b"0" * (1024 * 1024)
    response = _upload(world.client(Role.ORGANISER), world.review, "big.pdf", big)
    assert error_messages(response) == ["The selected file must be smaller than 1 MB"]
    assert "up to 1 MB" in response.content.decode()
    assert Document.objects.count() == 1 and _stored_files() == before


def test_missing_answers_on_the_upload_form_are_named(world):
    client = world.client(Role.ORGANISER)
    response = client.post(reverse("documents:upload", kwargs={"review_id": world.review.pk}), {"title": ""})
    assert error_messages(response) == ["Choose which document this is", "Select a file"]
    response = _upload(client, world.review, "notes.pdf", PDF, code="other")
    assert error_messages(response) == ["Enter a title for this document"]
    response = _upload(client, world.review, "empty.pdf", b"")
    assert error_messages(response) == ["The selected file is empty"]
    assert Document.objects.count() == 1


def test_the_checklist_shows_what_is_waiting_and_what_is_uploaded(world):
    page = world.client(Role.PCM).get(reverse("documents:list", kwargs={"review_id": world.review.pk}))
    text = " ".join(page.content.decode().split())
    perf = text[text.index("Performance data pack") :][:400]
    assert "Uploaded" in perf and "data.csv" in perf
    plan = text[text.index("Improvement plan") :][:300]
    assert "Waiting" in plan
    _upload(world.client(Role.ORGANISER), world.review, "plan.pdf", PDF, code="improvement_plan")
    text = " ".join(
        world.client(Role.PCM)
        .get(reverse("documents:list", kwargs={"review_id": world.review.pk}))
        .content.decode()
        .split()
    )
    assert "Uploaded" in text[text.index("Improvement plan") :][:300]


def test_something_else_goes_under_other_documents_with_its_title(world):
    _upload(world.client(Role.ORGANISER), world.review, "notes.pdf", PDF, code="other", title="Notes from the sponsor")
    doc = Document.objects.get(title="Notes from the sponsor")
    assert doc.checklist_code == ""
    page = (
        world.client(Role.PEER).get(reverse("documents:list", kwargs={"review_id": world.review.pk})).content.decode()
    )
    assert "Other documents" in page and "Notes from the sponsor" in page


def test_only_the_pcm_and_organiser_see_the_upload_button(world):
    url = reverse("documents:list", kwargs={"review_id": world.review.pk})
    assert "Upload a document" in world.client(Role.ORGANISER).get(url).content.decode()
    assert "Upload a document" not in world.client(Role.PEER).get(url).content.decode()


def test_each_download_goes_through_the_view_and_writes_an_access_event(world):
    url = reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
    for role in (Role.PEER, Role.SPONSOR):
        response = world.client(role).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
        assert response["Content-Disposition"].startswith('attachment; filename="data.csv"')
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    events = AccessEvent.objects.filter(action="download", object_ref=str(world.document.pk))
    assert sorted(events.values_list("role", flat=True)) == ["peer", "sponsor"]
    assert set(events.values_list("review_ref", flat=True)) == {world.review.pk}
    assert {e.user_id for e in events} == {world.members[Role.PEER].pk, world.members[Role.SPONSOR].pk}


def test_a_refused_download_writes_no_access_event(world):
    url = reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
    assert sign_in(world.other_members[Role.PEER]).get(url).status_code == 404
    assert sign_in(world.outsider).get(url).status_code == 404
    assert not AccessEvent.objects.filter(action="download").exists()


def test_a_document_whose_file_has_gone_gives_404(world):
    world.document.path.unlink()
    url = reverse("documents:download", kwargs={"review_id": world.review.pk, "document_id": world.document.pk})
    assert world.client(Role.PCM).get(url).status_code == 404


def test_a_failed_upload_leaves_no_file_behind(world, monkeypatch):
    from peerreview.documents import actions

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions.audit, "record", broken)
    before = _stored_files()
    with pytest.raises(RuntimeError):
        _upload(world.client(Role.ORGANISER), world.review, "plan.pdf", PDF)
    assert _stored_files() == before
