"""Demo content: what ``pst demo`` puts into a fresh instance so that every service has
something to show.

It is not part of the product. ``demo.publications`` generates plausible BPS Provinsi
Bengkulu PDFs with their metadata (a plain library: the standard library and reportlab);
``demo.fill`` ingests them through the catalogue's own service, then
``demo.holdings`` puts printed copies on the library's shelves and ``demo.products``
adds the store's tariffs and products. Every step goes through the features' services,
so demo data passes the same checks as an officer's, and every step is idempotent.

Dependencies point one way: this package uses the app kernel and the features'
services; no feature imports it (an import contract says so), and the shell
(``app/cli.py``) imports it only when ``pst demo`` or ``pst store demo`` runs.
"""
