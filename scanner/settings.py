"""Scan settings in the application's words, mapped to one device's option values.

The application asks for ``source="adf"`` and ``mode="gray"``; backends spell these
"Automatic Document Feeder", "ADF Front", "ADF" or "Gray", "Grayscale", "True Gray".
``resolve_settings`` picks the device's own value for each setting from its option
list, clamps the resolution to what the device offers, and builds the ``scanimage``
arguments. A setting the device cannot honour raises ``UnsupportedSetting``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from scanner.errors import UnsupportedSetting
from scanner.options import DeviceOption, DeviceOptions

__all__ = ["ColorMode", "ResolvedSettings", "ScanSettings", "Source", "resolve_settings"]

Source = Literal["flatbed", "adf", "adf_duplex"]
ColorMode = Literal["color", "gray", "lineart"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Options scan() sets itself; passing them as extras would contradict the settings.
_RESERVED = frozenset({"source", "mode", "resolution", "device-name", "format", "batch"})

# Per setting: patterns tried in order (first match wins), then patterns that rule a
# value out. Exact common spellings come first so "Gray" beats "Gray[Error Diffusion]".
_SOURCE_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "flatbed": ((r"^flatbed$", r"flatbed|platen|document table|^normal$"), r"adf|feeder|duplex"),
    "adf": (
        (r"^(adf|automatic document feeder)$", r"adf|feeder|automatic document"),
        r"duplex|back|rear",
    ),
    "adf_duplex": ((r"duplex",), r"^$"),
}
_MODE_RULES: dict[str, tuple[tuple[str, ...], str]] = {
    "color": ((r"^colou?r$", r"^24 ?bit colou?r", r"colou?r|rgb"), r"lineart|halftone|binary"),
    "gray": ((r"^gr[ae]y(scale)?$", r"^true gr[ae]y$", r"gr[ae]y"), r"diffusion|halftone|dither"),
    "lineart": (
        (r"^(lineart|binary)$", r"line ?art|binary|black ?& ?white|monochrome|^bw$"),
        r"halftone|diffusion|dither|colou?r",
    ),
}


@dataclass(frozen=True)
class ScanSettings:
    """What to scan, in the application's vocabulary.

    ``pages``: for the flatbed, how many pages to scan (default 1: ``--batch`` needs
    ``--batch-count`` there, or it would scan the glass forever); for a feeder, an
    upper bound (default None: until the feeder is empty). ``extra_options`` are
    further backend options by name (``{"brightness": "10"}``), passed through after
    checking the device has them.
    """

    device: str
    source: Source = "flatbed"
    mode: ColorMode = "gray"
    resolution: int = 300
    pages: int | None = None
    extra_options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.device or self.device.startswith("-") or "\n" in self.device:
            raise ValueError(f"invalid device name {self.device!r}")
        if self.resolution <= 0:
            raise ValueError("resolution must be positive")
        if self.pages is not None and self.pages <= 0:
            raise ValueError("pages must be positive")


@dataclass(frozen=True)
class ResolvedSettings:
    """Settings as the device spells them, and the ``scanimage`` arguments for them.

    ``source``/``mode`` are None when the device has no such option (a flatbed-only
    scanner without ``--source``); ``depth`` is set when lineart is emulated with a
    1-bit grey scan.
    """

    settings: ScanSettings
    source: str | None
    mode: str | None
    resolution: int | None
    depth: str | None
    arguments: tuple[str, ...]

    @property
    def uses_feeder(self) -> bool:
        """Whether pages come from a document feeder (so an empty one is an error)."""
        return self.settings.source != "flatbed"


def _pick(choices: Sequence[str], rules: tuple[tuple[str, ...], str]) -> str | None:
    wanted, excluded = rules
    allowed = [c for c in choices if not re.search(excluded, c, re.IGNORECASE)]
    for pattern in wanted:
        for choice in allowed:
            if re.search(pattern, choice, re.IGNORECASE):
                return choice
    return None


def _resolve_source(settings: ScanSettings, options: DeviceOptions) -> str | None:
    option = options.get("source")
    if option is None or not option.choices:
        if settings.source == "flatbed":
            return None  # no source option: the device only has its glass
        raise UnsupportedSetting(detail=f"{options.device} has no document feeder")
    value = _pick(option.choices, _SOURCE_RULES[settings.source])
    if value is None and settings.source == "flatbed":
        # Some backends name the glass by model ("Document Table", "Normal"): take the
        # first source that is not a feeder.
        value = next(
            (c for c in option.choices if not re.search(r"adf|feeder", c, re.IGNORECASE)), None
        )
    if value is None:
        raise UnsupportedSetting(
            detail=f"{options.device} has no source for {settings.source!r}: {option.choices}"
        )
    return value


def _resolve_mode(settings: ScanSettings, options: DeviceOptions) -> tuple[str | None, str | None]:
    option = options.get("mode")
    if option is None or not option.choices:
        return None, None
    value = _pick(option.choices, _MODE_RULES[settings.mode])
    if value is not None:
        return value, None
    if settings.mode == "lineart":
        # No bilevel mode: a 1-bit grey scan where the device offers one, else plain
        # grey, which the image pipeline binarises for G4 anyway.
        gray = _pick(option.choices, _MODE_RULES["gray"])
        if gray is not None:
            depth = options.get("depth")
            one_bit = depth is not None and "1" in depth.choices
            return gray, "1" if one_bit else None
    raise UnsupportedSetting(
        detail=f"{options.device} has no mode for {settings.mode!r}: {option.choices}"
    )


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _resolve_resolution(settings: ScanSettings, option: DeviceOption | None) -> int | None:
    if option is None:
        return None
    wanted = float(settings.resolution)
    if option.numeric_choices:
        # The nearest offered value; on a tie the higher one, which loses no detail.
        nearest = min(option.numeric_choices, key=lambda v: (abs(v - wanted), -v))
        return round(nearest)
    if option.range is not None:
        low, high, step = option.range.minimum, option.range.maximum, option.range.step
        value = min(max(wanted, low), high)
        if step:
            value = low + round((value - low) / step) * step
        return round(min(value, high))
    return settings.resolution


def _extra_arguments(settings: ScanSettings, options: DeviceOptions) -> list[str]:
    arguments: list[str] = []
    for name, value in settings.extra_options.items():
        if not _NAME.match(name) or name in _RESERVED or name.startswith("batch"):
            raise ValueError(f"option {name!r} cannot be passed through")
        option = options.get(name)
        if option is None or not option.settable:
            raise UnsupportedSetting(detail=f"{options.device} has no settable option {name!r}")
        if "\n" in value:
            raise ValueError(f"invalid value for option {name!r}")
        # The four geometry options are single letters and take a separate argument.
        arguments.extend([f"-{name}", value] if len(name) == 1 else [f"--{name}={value}"])
    return arguments


def resolve_settings(settings: ScanSettings, options: DeviceOptions) -> ResolvedSettings:
    """Map ``settings`` onto ``options`` (from ``device_options``) and build arguments."""
    source = _resolve_source(settings, options)
    mode, depth = _resolve_mode(settings, options)
    resolution = _resolve_resolution(settings, options.get("resolution"))
    arguments = [f"--device-name={settings.device}"]
    if source is not None:
        arguments.append(f"--source={source}")
    if mode is not None:
        arguments.append(f"--mode={mode}")
    if depth is not None:
        arguments.append(f"--depth={depth}")
    if resolution is not None:
        arguments.append(f"--resolution={_number_text(resolution)}")
    arguments.extend(_extra_arguments(settings, options))
    return ResolvedSettings(
        settings=settings,
        source=source,
        mode=mode,
        resolution=resolution,
        depth=depth,
        arguments=tuple(arguments),
    )
