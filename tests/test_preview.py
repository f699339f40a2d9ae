"""preview_page: one page of a batch as a PNG, composing only the records that page needs."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from formgen.api import Job, load_records, preview_page
from formgen.input.org import load_org
from formgen.typeset.composer import Composer
from formgen.writers import NothingToWrite

from .conftest import decode_qr, member


@pytest.fixture
def counted(monkeypatch):
    """How many records were composed."""
    calls = []
    original = Composer.compose_record

    def compose_record(self, record):
        calls.append(record.row)
        return original(self, record)

    monkeypatch.setattr(Composer, "compose_record", compose_record)
    return calls


def test_the_first_page_of_a_thousand_cards_composes_one_card(module_inputs, counted):
    _, photos, org = module_inputs
    records = [member(f"{i:06d}", "王喆") for i in range(1000)]
    png = preview_page(Job("name-card", org=load_org(org)), records, dpi=100)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size  # A4 at 100 dpi, to a pixel (PDFium rounds up)
    assert abs(width - 210 / 25.4 * 100) < 1.5 and abs(height - 297 / 25.4 * 100) < 1.5
    assert len(counted) == 1
    assert decode_qr(image.convert("RGB")) == ["https://party.example.org/m/000000"]


def test_a_sheet_of_badges_composes_the_ten_on_it_and_a_page_past_the_end_is_refused(module_inputs, counted):
    roster, photos, org = module_inputs
    records = [member(f"{i:06d}", "李堃") for i in range(25)]
    job = Job("name-card-badge", org=load_org(org))
    preview_page(job, records, page=1, dpi=50)
    assert len(counted) == 20
    with pytest.raises(NothingToWrite):
        preview_page(job, load_records(roster, photos), page=5, dpi=50)
