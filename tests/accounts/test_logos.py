"""Organization logos are decoded and stored re-encoded: what candidates' browsers get is a
PNG HireSlot wrote, never the uploaded bytes; anything else is refused with the reason."""

from __future__ import annotations

import importlib
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from hireslot.accounts.logos import LogoError
from hireslot.accounts.models import Organization, User
from hireslot.accounts.services import organization_logo_set

pytestmark = pytest.mark.django_db

PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(size: tuple[int, int] = (40, 20), **info: str) -> bytes:
    meta = PngImagePlugin.PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas: what a decompression bomb looks like
    before its pixels are inflated."""
    real = png((1, 1))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    forged = struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + forged + real[8 + 25 :]


def upload(data: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored_files(media: Path) -> list[str]:
    return sorted(p.name for p in (media / "logos").glob("*")) if (media / "logos").exists() else []


def test_a_valid_logo_is_stored_re_encoded_without_metadata_or_trailing_bytes(
    organization: Organization, client: Client
) -> None:
    original = png(Comment="secret camera serial") + PAYLOAD

    organization_logo_set(organization=organization, upload=upload(original))

    organization.refresh_from_db()
    stored = organization.logo.read()
    assert organization.logo.name.endswith(".png")
    assert stored != original
    assert PAYLOAD not in stored and b"secret camera serial" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (40, 20))
    response = client.get(reverse("web:organization-logo", args=[organization.slug]))
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == stored


def test_a_large_logo_is_scaled_down(organization: Organization) -> None:
    organization_logo_set(organization=organization, upload=upload(png((4000, 1000))))

    with Image.open(organization.logo.open("rb")) as image:
        assert image.size == (1024, 256)


def test_replacing_a_logo_deletes_the_old_file(
    organization: Organization, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        organization_logo_set(organization=organization, upload=upload(png()))
    first = organization.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        organization_logo_set(organization=organization, upload=upload(png((10, 10))))

    assert organization.logo.name != first
    assert stored_files(media) == [Path(organization.logo.name).name]
    with django_capture_on_commit_callbacks(execute=True):
        organization_logo_set(organization=organization, upload=None)
    assert stored_files(media) == []
    organization.refresh_from_db()
    assert not organization.logo


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x00\x01garbage" * 100, "logo.png", "not an image we can read"),
        (b"GIF89a" + PAYLOAD, "logo.gif", "not an image we can read"),
        (png()[:60], "logo.png", "not an image we can read"),
        (png() + b"\0" * (2 * 1024 * 1024), "logo.png", "at most 2 MB"),
        (png((5000, 10)), "logo.png", "at most 4096 x 4096 pixels"),
        (png_claiming(60_000, 60_000), "logo.png", "at most 4096 x 4096 pixels"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "l.svg", "SVG"),
        (b'<?xml version="1.0"?><svg/>', "logo.png", "SVG"),
        (b"", "logo.png", "not an image we can read"),
    ],
    ids=[
        "garbage",
        "gif-html-polyglot",
        "truncated",
        "oversized-file",
        "oversized-image",
        "decompression-bomb",
        "svg",
        "svg-named-png",
        "empty",
    ],
)
def test_what_cannot_be_a_logo_is_refused_with_a_message_and_nothing_is_stored(
    organization: Organization, media: Path, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(LogoError) as refused:
        organization_logo_set(organization=organization, upload=upload(data, name))

    assert message in refused.value.message
    organization.refresh_from_db()
    assert not organization.logo
    assert stored_files(media) == []


def test_other_image_formats_than_the_four_are_refused(organization: Organization) -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")

    with pytest.raises(LogoError, match="BMP images are not accepted"):
        organization_logo_set(organization=organization, upload=upload(out.getvalue(), "l.bmp"))


def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))
    return client


def admin_form(organization: Organization, **extra: Any) -> dict[str, Any]:
    return {
        "name": organization.name,
        "slug": organization.slug,
        "plan": organization.plan,
        "default_time_zone": organization.default_time_zone,
        "accent_color": organization.accent_color,
        "scheduling_sender_name": "",
        "scheduling_sender_email": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **extra,
    }


def test_the_admin_uploads_through_the_same_service(organization: Organization) -> None:
    client = admin_client()
    url = reverse("admin:accounts_organization_change", args=[organization.pk])

    refused = client.post(url, admin_form(organization, logo_upload=upload(PAYLOAD, "x.svg")))
    accepted = client.post(url, admin_form(organization, logo_upload=upload(png() + PAYLOAD)))

    assert refused.status_code == 200
    assert "SVG logos are not accepted" in refused.content.decode()
    assert accepted.status_code == 302
    organization.refresh_from_db()
    assert PAYLOAD not in organization.logo.read()


def test_logos_stored_before_are_re_encoded_by_the_migration(
    organization: Organization, media: Path
) -> None:
    organization.logo.save("old.gif", ContentFile(b"GIF89a" + PAYLOAD), save=True)
    other = Organization.objects.create(name="Other", slug="other")
    other.logo.save("old.png", ContentFile(png() + PAYLOAD), save=True)
    migration = importlib.import_module("hireslot.accounts.migrations.0005_logos_reencoded")

    migration.logos_reencode(apps, None)

    organization.refresh_from_db()
    other.refresh_from_db()
    assert not organization.logo
    assert PAYLOAD not in other.logo.read()
    assert stored_files(media) == [Path(other.logo.name).name]
