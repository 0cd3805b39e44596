"""Safe image ingestion: check, decode, normalise and re-encode an uploaded picture.

Everything a person uploads goes through `process_image` before it is stored. The file's
name and declared type are never trusted: Pillow sniffs the bytes, and only JPEG, PNG, GIF
and WebP are even tried. Size and pixel limits are checked before any pixel is decoded, so
a tiny file that claims to be 100,000 x 100,000 pixels costs nothing.

The output is always freshly encoded from pixels: no EXIF (GPS position, camera serial
number, capture time), no XMP, no ICC profile, no text chunks. Colour profiles are applied
first (converted to sRGB) so that stripping them does not shift colours. Pictures with
transparency become PNG; everything else becomes a progressive JPEG.
"""

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageCms, ImageOps

MB = 1024 * 1024
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# An iPhone "JPEG" carrying a depth map or preview opens as MPO: it is still a JPEG.
_ACCEPTED_OPENED_FORMATS = frozenset({*ACCEPTED_FORMATS, "MPO"})
JPEG_QUALITY = 85

UNREADABLE = "That file is not an image we can read (use JPEG, PNG, GIF or WebP)."


class ImageRejected(Exception):
    """An upload we will not store; the message is a sentence to show the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    width: int
    height: int
    content_type: str
    extension: str  # without the dot: "jpg", "png"


def process_image(
    fileobj: IO[bytes] | bytes,
    *,
    max_bytes: int = 8 * MB,
    max_pixels: int = 33_000_000,
    max_side: int | None = None,
) -> ProcessedImage:
    """Check, decode and re-encode an uploaded image, or raise ImageRejected.

    `fileobj` is read from its current position (at most max_bytes + 1 bytes). With
    `max_side`, the picture is scaled down (never up) so its longer side fits; callers pick
    it (avatars 400, headers 1500).
    """
    data = _read_capped(fileobj, max_bytes)
    if not data:
        raise ImageRejected(UNREADABLE)
    # Pillow's own guard against decompression bombs only warns below twice its limit;
    # make the warning an error too. Our pixel check below is stricter in practice.
    # (The filter list is process-wide in Python 3.11: if threads interleave, the worst
    # case is that this one "error" filter outlives the call, which is harmless.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _process(data, max_pixels=max_pixels, max_side=max_side)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(_too_many_pixels_message(max_pixels)) from exc
        except Exception as exc:
            # Pillow's decoders fail on hostile or damaged input with a zoo of exception
            # types (OSError, SyntaxError, ValueError, struct.error, IndexError, …). Any
            # of them means the same thing to the person uploading: we cannot read it.
            raise ImageRejected(UNREADABLE) from exc


def _read_capped(fileobj: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if isinstance(fileobj, bytes | bytearray | memoryview):
        data = bytes(fileobj[: max_bytes + 1])
    else:
        data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(f"That image is too large: the limit is {_megabytes(max_bytes)}.")
    return data


def _megabytes(n: int) -> str:
    value = n / MB
    if value >= 10 or value == int(value):
        return f"{value:.0f} MB"
    if value >= 0.1:
        return f"{value:.1f} MB"
    return f"{value:.2g} MB"


def _too_many_pixels_message(max_pixels: int) -> str:
    return (
        f"That image has too many pixels: the limit is {max_pixels / 1_000_000:g} megapixels. "
        "Please make it smaller and try again."
    )


def _process(data: bytes, *, max_pixels: int, max_side: int | None) -> ProcessedImage:
    img: Image.Image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    if img.format not in _ACCEPTED_OPENED_FORMATS:
        raise ImageRejected(UNREADABLE)
    width, height = img.size
    if width < 1 or height < 1:
        raise ImageRejected(UNREADABLE)
    # Image.open has read only the header: nothing has been decoded yet.
    if width * height > max_pixels:
        raise ImageRejected(_too_many_pixels_message(max_pixels))

    if max_side is not None and img.format in ("JPEG", "MPO"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the result is still at least
        # max_side on both sides: an avatar never needs the full 33 MP in memory.
        img.draft(img.mode, (max_side, max_side))
    img.seek(0)  # the first frame of an animation
    img.load()

    icc_profile = img.info.get("icc_profile")
    img = ImageOps.exif_transpose(img)
    img = _to_output_mode(img, icc_profile)

    if max_side is not None and max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    # Every piece of metadata rides in .info (PNG's encoder even reads the ICC profile
    # from it); the output carries pixels only.
    img.info = {}
    out = io.BytesIO()
    if img.mode in ("RGBA", "LA"):
        img.save(out, "PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        img.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return ProcessedImage(
        content=out.getvalue(),
        width=img.width,
        height=img.height,
        content_type=content_type,
        extension=extension,
    )


def _to_output_mode(img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Return the picture as RGBA or LA when it has transparency, otherwise as RGB."""
    if img.mode.startswith("I;16") or img.mode == "I":
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip to white).
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if img.mode == "1":
        img = img.convert("L")
    if icc_profile:
        img = _to_srgb(img, icc_profile)

    if img.has_transparency_data:
        target = "LA" if img.mode in ("L", "LA", "La") else "RGBA"
        img = img.convert(target)
        if img.getchannel("A").getextrema() == (255, 255):
            # An alpha channel that is opaque everywhere is not transparency.
            return img.convert("RGB")
        return img
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _to_srgb(img: Image.Image, icc_profile: bytes) -> Image.Image:
    """Apply an embedded colour profile, so the picture looks the same once it is gone."""
    if img.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
        return img
    output_mode = {"CMYK": "RGB", "LA": "RGBA"}.get(img.mode, img.mode)
    if img.mode == "LA":
        img = img.convert("RGBA")
    if output_mode == "L":
        # Greyscale profiles convert fine to sRGB; keep three channels from here on.
        output_mode = "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(
            img, source, srgb, outputMode=output_mode, renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or unusual profile: fall back to Pillow's plain conversion.
        return img
    return converted if converted is not None else img
