"""Image files for the photo tests, made with Pillow: a phone photo with EXIF and GPS, and the bad ones."""

import io

from PIL import ExifTags, Image

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (52.0, 22.0, 26.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (4.0, 53.0, 41.0),
}
TRAILER = b"<script>alert('trailing payload')</script>"


def phone_jpeg(width: int = 1200, height: int = 900, *, trailer: bytes = b"") -> bytes:
    """A JPEG with the camera's make, a GPS position, an orientation and a colour profile."""
    image = Image.new("RGB", (width, height), (180, 120, 90))
    for x in range(0, width, 40):  # some detail, so the encoder has something to keep
        image.paste((40, 60, 160), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Home Camera 12"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, icc_profile=b"\0" * 128, quality=90)
    return out.getvalue() + trailer


def png(width: int = 600, height: int = 600, *, mode: str = "RGBA") -> bytes:
    image = Image.new(mode, (width, height), (10, 200, 30, 128) if mode == "RGBA" else 0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def animated_png() -> bytes:
    frames = [Image.new("RGB", (300, 300), colour) for colour in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def bomb_png() -> bytes:
    """72 megapixels of one bit each: a few kilobytes on the wire, far more once decoded."""
    out = io.BytesIO()
    Image.new("1", (12_000, 6_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
    b'<script>alert(document.cookie)</script><rect width="400" height="400"/></svg>'
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
