"""The front desk: guest book, queue machine, service calendar, service records and IKM
ratings (PermenPANRB 14/2017).

Filled by the front-desk issue.
"""
