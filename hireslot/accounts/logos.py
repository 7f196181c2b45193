"""Organization logos: decoded as images and re-encoded, so what is stored and served is a
PNG HireSlot wrote, never the bytes someone uploaded (no SVG script, no polyglot payload, no
metadata)."""

from __future__ import annotations

import io
import warnings
from typing import IO

from PIL import Image, UnidentifiedImageError

from hireslot.core.errors import HireSlotError

LOGO_MAX_BYTES = 2 * 1024 * 1024
# Checked from the header, before any pixel is decompressed: a small file may claim a huge
# canvas (a decompression bomb). At most 64 MB of pixels once decoded.
LOGO_MAX_SIDE = 4096
# What is stored: logos are shown small, so larger ones are scaled down.
LOGO_STORED_MAX_SIDE = 1024
LOGO_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
ACCEPTED = "a PNG, JPEG, GIF or WebP image"


class LogoError(HireSlotError):
    """An upload that cannot be a logo; the message says why."""


def logo_reencode(source: IO[bytes], *, name: str = "") -> bytes:
    """The upload as a freshly encoded PNG, or ``LogoError``."""
    data = source.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(f"The logo file is too large: use at most {LOGO_MAX_BYTES // 1024**2} MB.")
    head = data[:512].lstrip().lower()
    if name.lower().endswith((".svg", ".svgz")) or head.startswith((b"<?xml", b"<svg", b"<!--")):
        raise LogoError(f"SVG logos are not accepted (they can carry script): upload {ACCEPTED}.")
    with warnings.catch_warnings():
        # Pillow only warns about large canvases below its own hard limit; refuse them too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decoded(data)
        except LogoError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_big() from error
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
            raise LogoError(f"This file is not an image we can read: upload {ACCEPTED}.") from error
    image.thumbnail((LOGO_STORED_MAX_SIDE, LOGO_STORED_MAX_SIDE))
    out = io.BytesIO()
    # A new image holds pixels only: EXIF, comments, ICC profiles and trailing data are gone.
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _decoded(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in LOGO_FORMATS:
            raise LogoError(f"{probe.format or 'This'} images are not accepted: upload {ACCEPTED}.")
        width, height = probe.size
        if max(width, height) > LOGO_MAX_SIDE:
            raise _too_big()
        probe.verify()
    # verify() leaves the image unusable: open again and decode every pixel of the first frame.
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        image.load()
        mode = (
            "RGBA"
            if image.mode in {"RGBA", "LA", "P", "PA"} or "transparency" in image.info
            else "RGB"
        )
        return image.convert(mode)


def _too_big() -> LogoError:
    return LogoError(
        f"The logo is too large: use at most {LOGO_MAX_SIDE} x {LOGO_MAX_SIDE} pixels."
    )
