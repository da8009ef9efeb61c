"""Reference agency system: civil_registry."""
