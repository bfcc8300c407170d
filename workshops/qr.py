"""QR codes of personal links, for badges and screens (segno: pure Python, no image library)."""

import io

import segno


def qr_svg(text: str, *, scale: int = 4, mask: int | None = None) -> str:
    """An inline <svg> element (no XML declaration, no inline style: the CSP allows it).

    `mask` fixes the QR mask pattern instead of trying all eight (about 4x faster, still a valid,
    readable code): for pages that print hundreds of badges.
    """
    return segno.make(text, error="m", mask=mask).svg_inline(scale=scale, border=2)


def qr_png(text: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
