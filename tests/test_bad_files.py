"""Files that cannot be read: one clear line naming the file and the reason, exit 2, and the batch goes on."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from conftest import REAL_PDF, SEEDS

from auditui.cli import main
from auditui.core.load import load
from auditui.core.model import LoadError

NEEDS_OCR = "no readable text layer: needs OCR"


def minimal_pdf(content: bytes, font: bytes, flate: bool = False) -> bytes:
    """A one-page PDF with one font and one content stream (``flate``: already Flate-compressed), with a
    correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        font,
        b"<< /Length %d%s >>\nstream\n" % (len(content), b" /Filter /FlateDecode" if flate else b"") + content
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def cid_only_pdf() -> bytes:
    """Text drawn with an Identity-H font that has no ToUnicode map: every glyph reads as (cid:N)."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts "
            b"[<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (Identity) /Supplement 0 >> /DW 1000 >>] >>")
    glyphs = b"".join(b"<%04x>" % (0x0100 + i) for i in range(40))
    content = b"BT /F1 12 Tf 72 760 Td [" + glyphs + b"] TJ 0 -20 Td [" + glyphs + b"] TJ ET"
    return minimal_pdf(content, font)


def text_pdf(text: str = "Annual report with a readable text layer", **kw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, **kw)
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A page that is only an image, as a scanner makes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(img)
    for y in range(40, 520, 24):
        draw.line((40, y, 360, y), fill=0, width=2)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(img), 40, 60, 515, 720)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return text_pdf(encrypt=StandardEncryption("user-secret", "owner-secret"))


NO_TABLES_PAGE = ("<html><head><meta charset='utf-8'><title>年报</title></head><body><h1>政府信息公开年度报告</h1>"
                  "<p>请下载附件查看。</p><a href='r.pdf'>2023年年度报告.pdf</a></body></html>").encode()

# file name → (bytes, the reason's expected start)
BAD = {
    "empty.pdf": (b"", "empty file (0 bytes)"),
    "empty.html": (b"", "empty file (0 bytes)"),
    "empty.docx": (b"", "empty file (0 bytes)"),
    "webpage-saved-as.pdf": (b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
                             "not a PDF (no %PDF header); it looks like an HTML page"),
    "notes.pdf": ("这是一段文字，不是PDF。".encode(), "not a PDF (no %PDF header)"),
    "truncated.pdf": (None, "truncated or damaged PDF"),
    "damaged.pdf": (b"%PDF-1.7\n" + b"\x00garbage " * 200 + b"\n%%EOF\n", "truncated or damaged PDF"),
    "encrypted.pdf": (None, "encrypted PDF: needs a password"),
    "scanned.pdf": (None, NEEDS_OCR),
    "cid-glyphs.pdf": (None, NEEDS_OCR),
    "no-tables.html": (NO_TABLES_PAGE, "no report tables in the HTML page"),
}


def _bytes(name: str) -> bytes:
    data, _ = BAD[name]
    if data is not None:
        return data
    return {
        "truncated.pdf": lambda: REAL_PDF.read_bytes()[: REAL_PDF.stat().st_size // 2],
        "encrypted.pdf": encrypted_pdf,
        "scanned.pdf": scanned_pdf,
        "cid-glyphs.pdf": cid_only_pdf,
    }[name]()


@pytest.fixture
def bad_folder(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in BAD:
        (folder / name).write_bytes(_bytes(name))
    shutil.copy(SEEDS["001"], folder / "good.txt")
    shutil.copy(REAL_PDF, folder / "good.pdf")
    return folder


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_gives_its_reason(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_bytes(name))
    with pytest.raises(LoadError) as e:
        load(path)
    assert e.value.path == str(path)
    assert e.value.reason.startswith(BAD[name][1])
    assert "\n" not in e.value.reason and "Traceback" not in e.value.reason
    assert str(e.value) == f"{path}: {e.value.reason}"


def test_truncated_pdf_that_still_ends_with_eof_marker(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(REAL_PDF.read_bytes()[:200_000] + b"\n%%EOF\n")
    with pytest.raises(LoadError, match=r": truncated or damaged PDF"):
        load(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    """Many published PDFs forbid copying with an owner password only: they open without one."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "restricted.pdf"
    path.write_bytes(text_pdf(encrypt=StandardEncryption("", "owner-secret", canCopy=0, canModify=0)))
    assert "Annual report with a readable text layer" in load(path).text


def test_check_reports_each_bad_file_and_goes_on(bad_folder, capsys):
    rc = main(["check", str(bad_folder), "--no-progress"])
    out, err = capsys.readouterr()
    assert rc == 2
    flat = "".join(err.split())  # the console wraps long lines at its width: compare without white space
    for name, (_, reason) in BAD.items():
        assert flat.count(str(bad_folder / name)) == 1, name
        assert "".join(f"{bad_folder / name}: {reason}".split()) in flat, name
    assert "Traceback" not in err
    # the readable reports after (and between) the bad ones were checked
    assert "会宁县工业和信息化局" in out and "淮安市人民政府" in out


def test_check_json_gives_every_file_one_line(bad_folder, capsys):
    rc = main(["check", str(bad_folder), "--format", "json", "--no-progress"])
    out, _ = capsys.readouterr()
    assert rc == 2
    results = {obj["path"]: obj for obj in map(json.loads, out.splitlines())}
    assert set(results) == {str(bad_folder / n) for n in (*BAD, "good.txt", "good.pdf")}
    for name, (_, reason) in BAD.items():
        assert results[str(bad_folder / name)]["error"].startswith(reason), name
    good = results[str(bad_folder / "good.pdf")]
    assert good["error"] is None and good["body"] == "淮安市人民政府" and good["year"] == 2024
    assert not [f for f in good["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize("content", [b"x", b"hello world\n", "2021年政府信息公开工作年度报告\n一、总体情况\n"
                                     "本年度未收到政府信息公开申请。\n".encode()])
def test_a_text_without_report_tables_is_refused_like_any_format(tmp_path, capsys, content):
    """One rule for every format: a file holding none of the report's tables is refused with one line (it was
    listed as a 2021 report with three warnings), as a page without them always was."""
    from auditui.core.batch import check_file

    path = tmp_path / "notice.txt"
    path.write_bytes(content)
    c = check_file(path)
    assert c.report is None and c.error.startswith("no report tables in the text")
    assert main(["check", str(path)]) == 2
    assert "no report tables" in capsys.readouterr().err


def test_a_pdf_without_report_tables_is_refused(tmp_path):
    from auditui.core.batch import check_file

    path = tmp_path / "other.pdf"
    path.write_bytes(text_pdf())
    assert check_file(path).error.startswith("no report tables in the PDF")
