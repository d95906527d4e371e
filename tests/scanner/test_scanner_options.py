"""Option parsing from real ``scanimage -A`` output, and settings mapped to devices.

The ``test`` backend's listing covers every option type SANE has; the hand-copied
listings of three document scanners cover how backends spell sources and modes.
"""

from __future__ import annotations

import pytest

from scanner import (
    DeviceOptions,
    OptionRange,
    ScanSettings,
    UnsupportedSetting,
    device_options,
    parse_options,
    resolve_settings,
)

FUJITSU = """
All options specific to device `fujitsu:fi-7160:1234':
  Standard:
    --source ADF Front|ADF Back|ADF Duplex [ADF Front]
        Selects the scan source (such as a document-feeder).
    --mode Lineart|Halftone|Gray|Color [Lineart]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --resolution 50..600dpi (in steps of 1) [600]
        Sets the resolution of the scanned image.
  Geometry:
    -l 0..215.872mm (in steps of 0.0211639) [0]
        Top-left x position of scan area.
    -x 0..224.846mm (in steps of 0.0211639) [215.872]
        Width of scan-area.
  Enhancement:
    --brightness -127..127 (in steps of 1) [0]
        Controls the brightness of the acquired image.
  Sensors:
    --top-edge[=(yes|no)] [no] [hardware]
        Paper is pulled partly into adf
"""

EPSON = """
All options specific to device `epson2:net:192.168.1.20':
  Scan Mode:
    --mode Lineart|Gray|Color [Lineart]
        Selects the scan mode (e.g., lineart, monochrome, or color).
    --resolution 75|150|300|600|1200dpi [300]
        Sets the resolution of the scanned image.
    --source Flatbed|Automatic Document Feeder [Flatbed]
        Selects the scan source (such as a document-feeder).
"""

BROTHER = """
All options specific to device `brother4:net1;dev0':
  Mode:
    --mode Black & White|Gray[Error Diffusion]|True Gray|24bit Color|24bit Color[Fast] [24bit Color]
        Select the scan mode
    --resolution 100|150|200|300|400|600|1200dpi [200]
        Sets the resolution of the scanned image.
    --source FlatBed|Automatic Document Feeder(left aligned)|Automatic Document Feeder(centrally aligned) [Automatic Document Feeder(left aligned)]
        Selects the scan source (such as a document-feeder).
"""  # noqa: E501 - scanimage prints one option per line however long


def test_options_of_the_sane_test_backend(sane_dir: str) -> None:
    options = device_options("test:0", config_dir=sane_dir)

    assert options.device == "test:0"
    assert options.sources == ("Flatbed", "Automatic Document Feeder")
    assert options.modes == ("Gray", "Color")
    assert options.resolutions == OptionRange(1.0, 1200.0, 1.0)
    mode = options.get("mode")
    assert mode is not None
    assert (mode.kind, mode.value, mode.group) == ("string", "Gray", "Scan Mode")
    assert mode.description.startswith("Selects the scan mode")
    depth = options.get("depth")
    assert depth is not None
    assert (depth.kind, depth.choices, depth.value) == ("number", ("1", "8", "16"), "8")
    resolution = options.get("resolution")
    assert resolution is not None
    assert (resolution.unit, resolution.value) == ("dpi", "50")
    three_pass = options.get("three-pass")
    assert three_pass is not None
    assert (three_pass.kind, three_pass.active, three_pass.value) == ("bool", False, None)
    hardware = options.get("bool-hard-select")
    assert hardware is not None
    assert (hardware.settable, hardware.value) == (False, "yes")
    assert options.get("bool-soft-select-soft-detect-auto").auto  # type: ignore[union-attr]
    words = options.get("int-constraint-word-list")
    assert words is not None
    assert words.unit == "bit"
    assert words.numeric_choices[:3] == (-42.0, -8.0, 0.0)
    array = options.get("int-constraint-array-constraint-range")
    assert array is not None
    assert array.is_array
    assert array.range == OptionRange(4.0, 192.0, 2.0)
    fixed = options.get("fixed-constraint-range")
    assert fixed is not None
    assert fixed.range == OptionRange(-42.17, 32768.0, 2.0)
    assert (fixed.unit, fixed.value, fixed.advanced) == ("us", "41.83", True)
    long_list = options.get("string-constraint-string-list")
    assert long_list is not None
    assert long_list.choices[2].startswith("This is the very long third entry.")
    free_text = options.get("string")
    assert free_text is not None
    assert free_text.kind == "string"
    assert free_text.value is not None
    assert free_text.value.startswith("This is the contents")
    button = options.get("button")
    assert button is not None
    assert (button.kind, button.value) == ("button", None)
    geometry = options.get("x")
    assert geometry is not None
    assert (geometry.group, geometry.unit, geometry.value) == ("Geometry", "mm", "80")


def test_parse_a_document_scanner_listing() -> None:
    options = parse_options("fujitsu:fi-7160:1234", FUJITSU)

    assert options.sources == ("ADF Front", "ADF Back", "ADF Duplex")
    assert options.modes == ("Lineart", "Halftone", "Gray", "Color")
    assert options.resolutions == OptionRange(50.0, 600.0, 1.0)
    brightness = options.get("brightness")
    assert brightness is not None
    assert brightness.range == OptionRange(-127.0, 127.0, 1.0)
    assert brightness.group == "Enhancement"
    sensor = options.get("top-edge")
    assert sensor is not None
    assert (sensor.kind, sensor.settable) == ("bool", False)
    assert parse_options("epson2", EPSON).resolutions == (75, 150, 300, 600, 1200)


@pytest.mark.parametrize(
    ("listing", "source", "mode", "expected"),
    [
        (EPSON, "flatbed", "gray", ("Flatbed", "Gray")),
        (EPSON, "adf", "lineart", ("Automatic Document Feeder", "Lineart")),
        (FUJITSU, "adf", "color", ("ADF Front", "Color")),
        (FUJITSU, "adf_duplex", "gray", ("ADF Duplex", "Gray")),
        (BROTHER, "flatbed", "gray", ("FlatBed", "True Gray")),
        (BROTHER, "adf", "color", ("Automatic Document Feeder(left aligned)", "24bit Color")),
        (BROTHER, "adf", "lineart", ("Automatic Document Feeder(left aligned)", "Black & White")),
    ],
)
def test_settings_take_each_backends_own_words(
    listing: str, source: str, mode: str, expected: tuple[str, str]
) -> None:
    options = parse_options("dev", listing)
    settings = ScanSettings("dev", source=source, mode=mode)  # type: ignore[arg-type]

    resolved = resolve_settings(settings, options)

    assert (resolved.source, resolved.mode) == expected
    assert f"--source={expected[0]}" in resolved.arguments
    assert f"--mode={expected[1]}" in resolved.arguments


@pytest.mark.parametrize(
    ("listing", "wanted", "chosen"),
    [
        (EPSON, 300, 300),
        (EPSON, 250, 300),
        (EPSON, 225, 300),  # a tie goes to the finer resolution
        (EPSON, 100, 75),
        (FUJITSU, 1200, 600),
        (FUJITSU, 20, 50),
        (FUJITSU, 333, 333),
    ],
)
def test_resolution_is_fitted_to_the_device(listing: str, wanted: int, chosen: int) -> None:
    options = parse_options("dev", listing)

    resolved = resolve_settings(ScanSettings("dev", source="adf", resolution=wanted), options)

    assert resolved.resolution == chosen
    assert f"--resolution={chosen}" in resolved.arguments


def test_settings_a_device_cannot_honour() -> None:
    with pytest.raises(UnsupportedSetting) as no_glass:
        resolve_settings(ScanSettings("dev"), parse_options("dev", FUJITSU))
    assert no_glass.value.code == "unsupported_setting"
    flatbed_only = DeviceOptions("dev", parse_options("dev", EPSON).options[:2])
    with pytest.raises(UnsupportedSetting):
        resolve_settings(ScanSettings("dev", source="adf"), flatbed_only)
    assert resolve_settings(ScanSettings("dev"), flatbed_only).source is None
    with pytest.raises(UnsupportedSetting):
        resolve_settings(
            ScanSettings("dev", source="adf", extra_options={"gamma": "2"}),
            parse_options("dev", FUJITSU),
        )
    with pytest.raises(ValueError, match="cannot be passed through"):
        resolve_settings(
            ScanSettings("dev", source="adf", extra_options={"mode": "Color"}),
            parse_options("dev", FUJITSU),
        )
    with pytest.raises(ValueError, match="invalid device name"):
        ScanSettings("--help")


def test_extra_options_and_lineart_emulation(sane_dir: str) -> None:
    options = device_options("test:0", config_dir=sane_dir)
    settings = ScanSettings(
        "test:0", mode="lineart", resolution=75, extra_options={"test-picture": "Grid", "x": "40"}
    )

    resolved = resolve_settings(settings, options)

    # The test backend has no lineart mode: a 1-bit grey scan stands in for it.
    assert (resolved.mode, resolved.depth) == ("Gray", "1")
    assert resolved.arguments == (
        "--device-name=test:0",
        "--source=Flatbed",
        "--mode=Gray",
        "--depth=1",
        "--resolution=75",
        "--test-picture=Grid",
        "-x",
        "40",
    )
