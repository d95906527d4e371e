"""Sales of statistical products (SOP-1-02): products, orders, the abstract and SPPD gate,
payments, invoices and fulfilment.

Filled by the store issue.
"""
