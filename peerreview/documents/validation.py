"""Checks an upload's type from its content, not its name. Office files are zip containers with limits."""

import zipfile

ALLOWED = {
    "pdf": "PDF",
    "docx": "Word",
    "doc": "Word",
    "xlsx": "Excel",
    "xls": "Excel",
    "pptx": "PowerPoint",
    "ppt": "PowerPoint",
    "csv": "CSV",
}
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_UNCOMPRESSED = 500 * 1024 * 1024


class UploadRejected(Exception):
    pass


def detect_kind(name: str, head: bytes, data_file) -> str:
    """Return the file's kind if its content matches its extension, otherwise raise UploadRejected."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise UploadRejected("The selected file must be a PDF, Word, Excel, PowerPoint or CSV file")
    label = ALLOWED[ext]
    wrong = UploadRejected(
        f"The selected file is called .{ext} but its contents are not a {label} file. "
        "Save it again as a real {label} file and upload that".replace("{label}", label)
    )
    if ext == "pdf":
        if not head.startswith(b"%PDF-"):
            raise wrong
    elif ext in OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            raise wrong
        data_file.seek(0)
        try:
            with zipfile.ZipFile(data_file) as z:
                infos = z.infolist()
                if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
                    raise UploadRejected(
                        "The selected file is too complex to check. Save it again without embedded files"
                    )
                names = {i.filename for i in infos}
                if "[Content_Types].xml" not in names or not any(n.startswith(OOXML_PART[ext]) for n in names):
                    raise wrong
        except zipfile.BadZipFile as exc:
            raise wrong from exc
    elif ext in ("doc", "xls", "ppt"):
        if not head.startswith(OLE_MAGIC):
            raise wrong
    elif ext == "csv":
        data_file.seek(0)
        sample = data_file.read(64 * 1024)
        if b"\x00" in sample:
            raise wrong
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise wrong from exc
    data_file.seek(0)
    return ext
