"""Every scenario under features/ runs against the real engine."""
from pytest_bdd import scenarios

scenarios(".")
