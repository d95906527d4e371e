"""SANE scanning, image cleanup and OCR of hardcopy pages.

A plain library (no Flask, no other project package). Scanning runs SANE's
``scanimage`` as a child process (``list_devices``, ``device_options``, ``scan``);
``process_pages`` turns the raw page images into one searchable PDF (deskew, frame
crop, orientation, G4/JPEG storage, Tesseract OCR in parallel). Every failure is a
``ScannerError`` with a stable ``code`` and, where it applies, the ``page``.
"""

from scanner.borders import crop_dark_borders, trim_margins
from scanner.cleanup import CleanedPage, CleanupOptions, clean_page
from scanner.compression import Compression, PageKind, binarize, classify, save_page
from scanner.deskew import estimate_skew, rotate_fine
from scanner.devices import Device, device_options, list_devices
from scanner.errors import (
    AccessDenied,
    CoverOpen,
    DeviceBusy,
    DeviceIOError,
    DeviceNotFound,
    ImageError,
    ImageTooLarge,
    NoDocuments,
    OcrError,
    OcrTimeout,
    PaperJam,
    ProcessingCancelled,
    ScanCancelled,
    ScanError,
    ScannerCrashed,
    ScannerError,
    ScanTimeout,
    ToolMissing,
    UnsupportedSetting,
)
from scanner.images import inspect_image, open_image, rotate_clockwise
from scanner.ocr import OcrResult, ocr_pages
from scanner.options import DeviceOption, DeviceOptions, OptionRange, parse_options
from scanner.orientation import Orientation, detect_orientation
from scanner.pipeline import PageReport, ProcessOptions, ProcessResult, process_pages
from scanner.saneconf import write_sane_config
from scanner.scan import EXIT_STATUS_ERRORS, scan
from scanner.settings import ResolvedSettings, ScanSettings, resolve_settings

__all__ = [
    "EXIT_STATUS_ERRORS",
    "AccessDenied",
    "CleanedPage",
    "CleanupOptions",
    "Compression",
    "CoverOpen",
    "Device",
    "DeviceBusy",
    "DeviceIOError",
    "DeviceNotFound",
    "DeviceOption",
    "DeviceOptions",
    "ImageError",
    "ImageTooLarge",
    "NoDocuments",
    "OcrError",
    "OcrResult",
    "OcrTimeout",
    "OptionRange",
    "Orientation",
    "PageKind",
    "PageReport",
    "PaperJam",
    "ProcessOptions",
    "ProcessResult",
    "ProcessingCancelled",
    "ResolvedSettings",
    "ScanCancelled",
    "ScanError",
    "ScanSettings",
    "ScanTimeout",
    "ScannerCrashed",
    "ScannerError",
    "ToolMissing",
    "UnsupportedSetting",
    "binarize",
    "classify",
    "clean_page",
    "crop_dark_borders",
    "detect_orientation",
    "device_options",
    "estimate_skew",
    "inspect_image",
    "list_devices",
    "ocr_pages",
    "open_image",
    "parse_options",
    "process_pages",
    "resolve_settings",
    "rotate_clockwise",
    "rotate_fine",
    "save_page",
    "scan",
    "trim_margins",
    "write_sane_config",
]
