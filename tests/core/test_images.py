"""process_image: what comes out is a clean, re-encoded picture, or a sentence saying no.

Every input is made in memory with Pillow; no fixtures on disk, no database.
"""

import io
import struct
import warnings
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from confab.core.images import UNREADABLE, ImageRejected, ProcessedImage, process_image

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **params)
    return out.getvalue()


def open_output(result: ProcessedImage) -> Image.Image:
    img = Image.open(io.BytesIO(result.content))
    img.load()
    return img


def holiday_photo() -> bytes:
    """A 40x20 JPEG, red left half and blue right half, as a phone saves it.

    Orientation 6 says "rotate 90° clockwise to display", and it carries a GPS position, an
    ICC profile and XMP: all of it must be gone from the output.
    """
    img = Image.new("RGB", (40, 20), BLUE)
    img.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 16.0, 3.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (97.0, 44.0, 35.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">where-i-live</x:xmpmeta>'
    return encode(img, "JPEG", exif=exif, icc_profile=icc, xmp=xmp, quality=95)


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its few bytes of pixel data never deliver."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def noisy_jpeg(size: int = 96) -> bytes:
    return encode(Image.effect_noise((size, size), 80).convert("RGB"), "JPEG", quality=90)


class NamedBytes(io.BytesIO):
    """An upload: a stream with a file name that may lie about its content."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


# --- what comes out -------------------------------------------------------------------


def test_it_strips_gps_and_all_other_metadata_from_a_jpeg():
    source = holiday_photo()
    source_img = Image.open(io.BytesIO(source))
    assert source_img.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really has GPS
    assert b"where-i-live" in source

    result = process_image(io.BytesIO(source))

    out = open_output(result)
    assert dict(out.getexif()) == {}
    assert b"Exif" not in result.content
    assert b"where-i-live" not in result.content
    assert b"PhoneCo" not in result.content
    assert "icc_profile" not in out.info
    assert "xmp" not in out.info
    assert (result.content_type, result.extension) == ("image/jpeg", "jpg")


def test_it_applies_exif_orientation_before_dropping_it():
    result = process_image(io.BytesIO(holiday_photo()))

    out = open_output(result).convert("RGB")
    # Stored 40x20 with the red half on the left; displayed upright it is 20x40, red on top.
    assert (result.width, result.height) == (20, 40) == out.size
    top, bottom = out.getpixel((10, 5)), out.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_it_keeps_transparency_as_png_and_drops_text_chunks():
    img = Image.new("RGBA", (30, 10), (0, 128, 0, 0))
    img.paste((0, 128, 0, 255), (0, 0, 10, 10))
    text = PngInfo()
    text.add_text("Comment", "secret-note")
    result = process_image(io.BytesIO(encode(img, "PNG", pnginfo=text)))

    assert (result.content_type, result.extension) == ("image/png", "png")
    out = open_output(result)
    assert out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 255
    assert out.getpixel((25, 5))[3] == 0
    assert b"secret-note" not in result.content
    assert "Comment" not in out.info


def test_it_turns_a_png_whose_alpha_is_all_opaque_into_a_jpeg():
    img = Image.new("RGBA", (10, 10), (10, 20, 30, 255))

    result = process_image(io.BytesIO(encode(img, "PNG")))

    assert result.content_type == "image/jpeg"
    assert open_output(result).mode == "RGB"


def test_it_accepts_a_one_pixel_gif():
    result = process_image(io.BytesIO(encode(Image.new("P", (1, 1), 0), "GIF")))

    assert (result.width, result.height, result.extension) == (1, 1, "jpg")


def test_it_keeps_a_transparent_gif_transparent():
    img = Image.new("P", (4, 4), 1)
    img.putpalette([255, 0, 0, 0, 0, 255] + [0, 0, 0] * 254)
    img.putpixel((0, 0), 0)

    result = process_image(io.BytesIO(encode(img, "GIF", transparency=1)))

    out = open_output(result)
    assert result.extension == "png"
    assert out.getpixel((0, 0))[3] == 255
    assert out.getpixel((3, 3))[3] == 0


def test_it_takes_the_first_frame_of_an_animation():
    frames = [Image.new("RGB", (8, 8), RED), Image.new("RGB", (8, 8), BLUE)]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)

    result = process_image(io.BytesIO(gif))

    r, _, b = open_output(result).convert("RGB").getpixel((4, 4))
    assert r > 200 and b < 60


def test_it_accepts_webp():
    result = process_image(io.BytesIO(encode(Image.new("RGB", (12, 8), RED), "WEBP")))

    assert (result.width, result.height, result.extension) == (12, 8, "jpg")


def test_it_converts_cmyk_to_rgb():
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # red ink

    result = process_image(io.BytesIO(encode(cmyk, "JPEG")))

    out = open_output(result)
    assert out.mode == "RGB"
    r, g, b = out.getpixel((4, 4))
    assert r > 200 and g < 60 and b < 60


def test_it_scales_16_bit_greyscale_instead_of_clipping_it():
    img = Image.new("I;16", (4, 4), 32768)

    result = process_image(io.BytesIO(encode(img, "PNG")))

    r, g, b = open_output(result).getpixel((1, 1))
    assert 118 < r < 138 and r == g == b


def test_it_scales_down_to_max_side_keeping_the_shape():
    big = encode(Image.new("RGB", (800, 400), RED), "JPEG")

    result = process_image(io.BytesIO(big), max_side=400)

    assert (result.width, result.height) == (400, 200) == open_output(result).size


def test_it_scales_a_rotated_jpeg_by_its_upright_shape():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    photo = encode(Image.new("RGB", (1600, 800), RED), "JPEG", exif=exif)

    result = process_image(io.BytesIO(photo), max_side=400)

    assert (result.width, result.height) == (200, 400)


def test_it_never_scales_up():
    small = encode(Image.new("RGB", (50, 30), RED), "PNG")

    result = process_image(io.BytesIO(small), max_side=400)

    assert (result.width, result.height) == (50, 30)


def test_it_accepts_plain_bytes():
    result = process_image(encode(Image.new("RGB", (3, 3), RED), "PNG"))

    assert result.width == 3


# --- what is refused ------------------------------------------------------------------


def test_it_refuses_a_text_file_named_like_a_jpeg():
    with pytest.raises(ImageRejected) as caught:
        process_image(NamedBytes(b"Dear diary, today I uploaded a text file.\n", "photo.jpg"))

    assert caught.value.message == UNREADABLE
    assert str(caught.value) == UNREADABLE


def test_it_refuses_an_empty_file():
    with pytest.raises(ImageRejected, match="not an image we can read"):
        process_image(io.BytesIO(b""))


def test_it_refuses_a_tiff():
    tiff = encode(Image.new("RGB", (10, 10), RED), "TIFF")

    with pytest.raises(ImageRejected, match="use JPEG, PNG, GIF or WebP"):
        process_image(NamedBytes(tiff, "scan.png"))


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_it_refuses_a_truncated_jpeg(keep):
    data = noisy_jpeg()

    with pytest.raises(ImageRejected, match="not an image we can read"):
        process_image(io.BytesIO(data[: int(len(data) * keep)]))


def test_it_refuses_a_file_over_the_byte_limit_without_reading_all_of_it():
    data = noisy_jpeg()
    assert len(data) > 2048
    upload = io.BytesIO(data)

    with pytest.raises(ImageRejected) as caught:
        process_image(upload, max_bytes=1024)

    assert "MB" in caught.value.message
    assert upload.tell() == 1025


def test_the_byte_limit_message_names_the_limit_in_mb():
    with pytest.raises(ImageRejected, match=r"the limit is 8 MB\."):
        process_image(io.BytesIO(b"x" * (8 * 1024 * 1024 + 1)))


def test_it_accepts_a_file_exactly_at_the_byte_limit():
    data = encode(Image.new("RGB", (3, 3), RED), "PNG")

    assert process_image(io.BytesIO(data), max_bytes=len(data)).width == 3


def test_it_refuses_too_many_pixels_from_the_header_alone():
    # No pixel data follows the header: had we tried to decode, we would have said
    # "cannot read", not "too many pixels".
    with pytest.raises(ImageRejected, match="too many pixels: the limit is 33 megapixels"):
        process_image(io.BytesIO(png_header_claiming(10_000, 10_000)))


def test_it_refuses_just_over_the_pixel_limit():
    with pytest.raises(ImageRejected, match="too many pixels"):
        process_image(io.BytesIO(png_header_claiming(6000, 6000)))
    with pytest.raises(ImageRejected, match=r"limit is 0\.01 megapixels"):
        process_image(io.BytesIO(encode(Image.new("L", (101, 100)), "PNG")), max_pixels=10_000)


def test_it_turns_pillows_decompression_bomb_error_into_a_refusal():
    # 100,000² is beyond twice Pillow's own limit: Image.open itself raises.
    with pytest.raises(ImageRejected, match="too many pixels") as caught:
        process_image(io.BytesIO(png_header_claiming(100_000, 100_000)), max_pixels=10**12)

    assert isinstance(caught.value.__cause__, Image.DecompressionBombError)


def test_it_turns_pillows_decompression_bomb_warning_into_a_refusal():
    # 10,000² is between Pillow's limit and twice it: Pillow only warns.
    filters_before = list(warnings.filters)
    with pytest.raises(ImageRejected, match="too many pixels") as caught:
        process_image(io.BytesIO(png_header_claiming(10_000, 10_000)), max_pixels=10**12)

    assert isinstance(caught.value.__cause__, Image.DecompressionBombWarning)
    assert warnings.filters == filters_before


def test_damaged_files_only_ever_raise_image_rejected():
    sources = [
        noisy_jpeg(32),
        encode(Image.new("RGBA", (16, 16), (1, 2, 3, 4)), "PNG"),
        encode(Image.new("P", (16, 16), 3), "GIF"),
        encode(Image.effect_noise((16, 16), 50).convert("RGB"), "WEBP"),
    ]
    for data in sources:
        for i in range(0, len(data), max(1, len(data) // 40)):
            damaged = bytearray(data)
            damaged[i] ^= 0xFF
            for candidate in (bytes(damaged), data[:i]):
                try:
                    result = process_image(io.BytesIO(candidate))
                except ImageRejected:
                    continue
                assert isinstance(result, ProcessedImage)
