"""Fixtures of the store tests; they and the helpers live in ``storekit`` so that test
modules import the helpers by a name no other test folder uses."""

from storekit import *  # noqa: F403 - the fixtures must be names of this module
