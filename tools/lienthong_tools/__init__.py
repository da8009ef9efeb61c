"""Tools around the lienthong runtime: the ``lienthong`` command, ops, bench, dev stack, demo.

Why this exists: the runtime library (``lib/lienthong``) is what every service image
carries; it imports no service. The tools here drive, measure and operate the services, so
they may import them, and they bring their own dependencies (the ``tools`` extra).
"""
