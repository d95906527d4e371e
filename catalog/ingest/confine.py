"""Hardening of the worker process: resource limits and the libraries' safety settings.

The worker applies its resource limits to itself, first thing, instead of the
parent doing it in a ``preexec_fn``: ``preexec_fn`` is documented as unsafe when
the parent has threads (a web server or a task worker usually does), and the
limits only need to be in place before the hostile file is opened, which happens
later in the same process.
"""

from __future__ import annotations

import logging
import resource
import warnings

import pypdf
import pypdf.filters
from PIL import Image

from .model import Limits

__all__ = ["PYPDF_LIMITS", "STREAM_OUTPUT_LIMIT", "apply_rlimits", "configure_libraries"]

# Decompressed bytes allowed per stream. pypdf's own default is the same; it is set
# explicitly so an upgrade that relaxes it does not relax us.
STREAM_OUTPUT_LIMIT = 75_000_000

# pypdf >= 6.x ``Configuration`` fields, by name.
PYPDF_LIMITS: dict[str, int] = {
    "maximum_declared_stream_length": STREAM_OUTPUT_LIMIT,
    "array_based_stream_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "jbig2_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "lzw_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "run_length_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "zlib_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "brotli_maximum_output_length": STREAM_OUTPUT_LIMIT,
    "image_maximum_buffer_size": STREAM_OUTPUT_LIMIT,
    "stream_decoding_work_maximum_length": 2 * STREAM_OUTPUT_LIMIT,
    "zlib_maximum_recovery_input_length": 5_000_000,
}

# The same limits under the module constants older pypdf releases read.
_LEGACY_NAMES = {
    "maximum_declared_stream_length": "MAX_DECLARED_STREAM_LENGTH",
    "array_based_stream_maximum_output_length": "MAX_ARRAY_BASED_STREAM_OUTPUT_LENGTH",
    "jbig2_maximum_output_length": "JBIG2_MAX_OUTPUT_LENGTH",
    "lzw_maximum_output_length": "LZW_MAX_OUTPUT_LENGTH",
    "run_length_maximum_output_length": "RUN_LENGTH_MAX_OUTPUT_LENGTH",
    "zlib_maximum_output_length": "ZLIB_MAX_OUTPUT_LENGTH",
    "image_maximum_buffer_size": "FLATE_MAX_BUFFER_SIZE",
    "zlib_maximum_recovery_input_length": "ZLIB_MAX_RECOVERY_INPUT_LENGTH",
}


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    _, current_hard = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current_hard != resource.RLIM_INFINITY:
        # An unprivileged process cannot raise its hard limit; stay inside it.
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def apply_rlimits(limits: Limits) -> None:
    """Cap the process's address space, CPU time, file size and core dumps."""
    _set_limit(resource.RLIMIT_AS, limits.memory_bytes)
    # SIGXCPU at the soft limit (the parent reports it), SIGKILL a little later.
    _set_limit(resource.RLIMIT_CPU, limits.cpu_s, limits.cpu_s + 2)
    # The master may be bigger than the upload (object streams are written out
    # plainly) but never by much; this stops a runaway writer filling the disk.
    _set_limit(resource.RLIMIT_FSIZE, max(4 * limits.max_bytes, 256 * 1024 * 1024))
    _set_limit(resource.RLIMIT_CORE, 0)  # a crash must not dump 1 GiB of hostile data


def configure_libraries(limits: Limits) -> None:
    """Set pypdf's decompression caps, disable external decoders, quieten and arm warnings."""
    configure = getattr(pypdf, "overwrite_configuration", None)
    if configure is not None:
        # ``jbig2dec_binary=None`` stops pypdf running the external jbig2dec tool;
        # legacy handling off because we set every value through the new API.
        configure(jbig2dec_binary=None, disable_legacy_handling=True, **PYPDF_LIMITS)
    else:  # pragma: no cover - pypdf releases before the Configuration object
        for field, name in _LEGACY_NAMES.items():
            if hasattr(pypdf.filters, name):
                setattr(pypdf.filters, name, PYPDF_LIMITS[field])
        if hasattr(pypdf.filters, "JBIG2DEC_BINARY"):
            pypdf.filters.JBIG2DEC_BINARY = None

    # pypdf reports every oddity of a damaged file through logging and warnings;
    # in the worker they are noise on stderr (whose tail is kept for the log).
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    warnings.simplefilter("ignore")
    # …except Pillow's bomb warning, which must stop the work instead.
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    warnings.simplefilter("error", Image.DecompressionBombWarning)
