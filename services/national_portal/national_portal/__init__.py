"""Reference agency system: national_portal."""
