"""The growth of the network as an animation: one press picture per month or per event.

Every frame is the static map of :mod:`exports.mapfig` for one day, so each
carries the title, the date ("Stand: …"), the figures, the legend and the
credits. GIFs are put together with Pillow on one shared palette (no
dithering), MP4s by the ffmpeg binary that the ``imageio-ffmpeg`` wheel
ships, with bit-exact flags; both are identical for identical inputs.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from exports import style
from exports.mapfig import RC, build_figure
from loaders.coverage import Coverage
from loaders.errors import InputError
from loaders.viewstate import ViewState
from viewmodel import palette

STEPS = ("month", "event")
FRAME_MS = 1000
LAST_FRAME_MS = 3000  # the end state stays long enough to be read
MAX_FRAMES = 120  # ten years by month; more would be minutes of rendering
MP4_FPS = 25  # a common rate every platform takes; repeated pictures cost x264 almost nothing


def frame_days(start: dt.date, end: dt.date, step: str, change_days: list[dt.date]) -> list[dt.date]:
    """The days shown, from ``start`` to ``end`` inclusive.

    Parameters
    ----------
    start, end : datetime.date
        First and last frame.
    step : str
        "month": the first of every month in between; "event": every day in
        ``change_days`` in between (the days on which coverage changes).
    change_days : list of datetime.date
        Sorted; used by "event".

    Examples
    --------
    >>> frame_days(dt.date(2023, 11, 15), dt.date(2024, 2, 1), "month", [])
    [datetime.date(2023, 11, 15), datetime.date(2023, 12, 1), datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)]
    >>> frame_days(dt.date(2023, 1, 1), dt.date(2024, 3, 1), "event", [dt.date(2022, 5, 1), dt.date(2024, 2, 1)])
    [datetime.date(2023, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)]
    """
    if step not in STEPS:
        raise InputError(f"unknown step {step!r}: choose one of {', '.join(STEPS)}")
    if not start < end:
        raise InputError(f"an animation needs a start day before its end day ({start} … {end})")
    if step == "event":
        inside = [day for day in change_days if start < day < end]
    else:
        first = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        inside = []
        while first < end:
            inside.append(first)
            first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return [start, *inside, end]


def frames(
    cov: Coverage,
    view: ViewState,
    start: dt.date,
    preset: style.Preset,
    title: str | None,
    step: str,
    subtitle: str | None = None,
    note: str | None = None,
) -> list[Image.Image]:
    """RGB pictures of ``view`` on every frame day from ``start`` to ``view.date``.

    The compare date is not used: each frame shows one day, and the sequence shows the change.
    """
    days = frame_days(start, view.date, step, cov.change_dates(view.evidence))
    if len(days) > MAX_FRAMES:
        raise InputError(
            f"{len(days)} frames from {start} to {view.date} by {step}; at most {MAX_FRAMES}: "
            "choose a shorter period or step by event"
        )
    pictures = []
    title = style.title_for(cov, view, title)
    with matplotlib.rc_context(RC):
        for day in days:
            canvas = FigureCanvasAgg(
                build_figure(cov, view.with_(date=day, compare=None), preset, title, subtitle, note, raster=True)
            )
            canvas.draw()
            pictures.append(Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB"))
    return pictures


def render_gif(pictures: list[Image.Image], alt: str = "") -> bytes:
    """An endlessly looping GIF on one shared palette, so colours do not flicker between frames; ``alt`` as its comment."""
    palette = _palette(pictures)
    indexed = [_indexed(p, palette) for p in pictures]
    durations = [FRAME_MS] * (len(indexed) - 1) + [LAST_FRAME_MS]
    buffer = io.BytesIO()
    indexed[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=durations,
        loop=0,
        optimize=False,
        comment=alt.encode("utf-8"),
    )
    return buffer.getvalue()


def _palette(pictures: list[Image.Image]) -> np.ndarray:
    """The 256 most frequent colours of the frames (packed RGB), the style's colours always among them.

    Median-cut palettes average a light grey into the white page and shift the
    status colours; taking the frequent colours as they are keeps the fills exact.
    """
    # Every third pixel of every frame: all fills and text greys are there, at a third of the cost.
    packed = np.concatenate([_packed(np.asarray(p))[::3] for p in pictures])
    colours, counts = np.unique(packed, return_counts=True)
    frequent = colours[np.argsort(-counts, kind="stable")]
    fixed = np.unique(_packed(np.array([_rgb(c) for c in ("#ffffff", *(s.fill for s in palette.STYLES.values()))])))
    return np.concatenate([fixed, frequent[~np.isin(frequent, fixed)]])[:256]


def _indexed(picture: Image.Image, palette: np.ndarray) -> Image.Image:
    """Each pixel as its nearest palette colour, exact colours exactly.

    Done here because Pillow's ``quantize(palette=...)`` matches through a coarse
    colour cube and turns the white page into (252, 252, 252).
    """
    colours, inverse = np.unique(_packed(np.asarray(picture)), return_inverse=True)
    distance = ((_unpacked(colours)[:, None, :] - _unpacked(palette)[None, :, :]) ** 2).sum(axis=2)
    index = distance.argmin(axis=1).astype(np.uint8)[inverse].reshape(picture.height, picture.width)
    out = Image.fromarray(index, mode="P")
    out.putpalette(_unpacked(palette).astype(np.uint8).ravel().tolist())
    return out


def _unpacked(packed: np.ndarray) -> np.ndarray:
    return np.stack([packed >> 16, (packed >> 8) & 255, packed & 255], axis=1)


def _packed(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.reshape(-1, 3).astype(np.int64)
    return (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def render_mp4(pictures: list[Image.Image], alt: str = "") -> bytes:
    """H.264 in MP4 (yuv420p, plays everywhere), each picture shown as long as in the GIF; ``alt`` as its description."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise InputError(
            "MP4 needs the ffmpeg binary of the imageio-ffmpeg package "
            "(pip install imageio-ffmpeg); --format gif works without it"
        ) from None
    width, height = pictures[0].size
    raw = b"".join(p.tobytes() for p in pictures)
    # Input at one picture per second; the fps filter repeats them to MP4_FPS and
    # holds the last one LAST_FRAME_MS, matching the GIF's timing.
    hold = (LAST_FRAME_MS - FRAME_MS) / 1000
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-v",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-framerate",
        str(1000 / FRAME_MS),
        "-i",
        "pipe:0",
        "-vf",
        f"tpad=stop_mode=clone:stop_duration={hold},fps={MP4_FPS},format=yuv420p",
        "-c:v",
        "libx264",
        "-preset",
        "medium",
        "-crf",
        "20",
        "-tune",
        "stillimage",
        # One thread and bit-exact muxing: the same frames give the same bytes.
        "-threads",
        "1",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-movflags",
        "+faststart",
    ]
    if alt:
        # The container's description (and comment) tags carry the alt text; players show them as such.
        command[-2:-2] = ["-metadata", f"description={alt}", "-metadata", f"comment={alt}"]
    # MP4 puts its index at the start (faststart), which needs a seekable file, not a pipe.
    with tempfile.TemporaryDirectory(prefix="sid-atlas-mp4-") as folder:
        target = Path(folder) / "animation.mp4"
        try:
            subprocess.run([*command, str(target)], input=raw, capture_output=True, check=True, timeout=600)
        except subprocess.CalledProcessError as error:
            message = error.stderr.decode(errors="replace").strip().splitlines()
            raise InputError(f"ffmpeg could not write the MP4: {message[-1] if message else error}") from None
        return target.read_bytes()
