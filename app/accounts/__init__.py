"""Accounts: visitors' registration profile, staff roles, sign-in, email verification,
password reset and personal API tokens."""
