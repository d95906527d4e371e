"""The library service (SOP-1-01): reading online, watermarked downloads, hardcopy holdings.

Filled by the library issue. Uses ``catalog`` service functions and the ``watermark``
library; never the other way round.
"""
