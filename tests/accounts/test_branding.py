"""The accent colour must carry readable text; brand settings are written all or nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hireslot.accounts.branding import (
    DARK_TEXT,
    WHITE,
    accent_problem,
    accent_text_color,
    brand_of,
    contrast_ratio,
)
from hireslot.accounts.models import Organization
from hireslot.accounts.services import BrandError, organization_brand_update


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (10, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_contrast_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # WCAG's own example pair: #767676 on white is the lightest grey that passes AA.
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("accent", "text"),
    [("#2563eb", WHITE), ("#000000", WHITE), ("#ffff00", DARK_TEXT), ("#10B981", DARK_TEXT)],
)
def test_the_text_on_an_accent_is_the_more_readable_of_white_and_dark(
    accent: str, text: str
) -> None:
    assert accent_text_color(accent) == text
    assert contrast_ratio(accent, text) >= 4.5
    assert accent_problem(accent) is None


@pytest.mark.parametrize("accent", ["#777777", "#808080", "#7a7a7a"])
def test_a_mid_tone_that_neither_white_nor_dark_text_can_be_read_on_is_refused(
    accent: str,
) -> None:
    problem = accent_problem(accent)

    assert problem is not None
    assert "4.5:1" in problem and accent in problem
    assert "4.50:1 and" not in problem  # rounded down: never shown as passing


@pytest.mark.parametrize("accent", ["blue", "#12345", "#GGGGGG", ""])
def test_what_is_not_a_colour_is_refused(accent: str) -> None:
    assert "#2563eb" in (accent_problem(accent) or "")


@pytest.mark.django_db
def test_brand_update_writes_everything(organization: Organization) -> None:
    updated = organization_brand_update(
        organization=organization,
        accent_color="#0F766E",
        sender_name="Acme Talent",
        logo=png_upload(),
    )

    organization.refresh_from_db()
    assert organization.accent_color == "#0f766e"
    assert organization.scheduling_sender_name == "Acme Talent"
    assert organization.logo.name.endswith(".png")
    brand = brand_of(updated)
    assert brand.logo_url.startswith("http") and brand.logo_url.endswith("/branding/acme/logo")
    assert brand.accent_text == WHITE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accent_color": "#777777"}, "accent_color"),
        ({"logo": "not an image"}, "logo"),
        ({"sender_name": "Acme\nBcc: everyone@example.com"}, "scheduling_sender_name"),
    ],
)
def test_a_refused_brand_update_changes_nothing(
    organization: Organization, media: Path, changes: dict[str, Any], field: str
) -> None:
    before = (organization.accent_color, organization.scheduling_sender_name)
    values: dict[str, Any] = {"accent_color": "#111111", "sender_name": "New name", **changes}
    if isinstance(values.get("logo"), str):
        values["logo"] = SimpleUploadedFile("logo.png", b"garbage" * 10)

    with pytest.raises(BrandError) as refused:
        organization_brand_update(organization=organization, **values)

    assert refused.value.field == field
    organization.refresh_from_db()
    assert (organization.accent_color, organization.scheduling_sender_name) == before
    assert not organization.logo
    assert not (media / "logos").exists() or not any((media / "logos").iterdir())


@pytest.mark.django_db
def test_removing_the_logo(organization: Organization) -> None:
    organization_brand_update(
        organization=organization, accent_color="#2563eb", sender_name="", logo=png_upload()
    )

    organization_brand_update(
        organization=organization, accent_color="#2563eb", sender_name="", logo_remove=True
    )

    organization.refresh_from_db()
    assert not organization.logo
    assert brand_of(organization).logo_url == ""
