"""Deployment and operations: containers, Kubernetes tooling, migrations and replays.

Why this exists: the compose file, the Helm chart's checks and the ``lienthong ops`` commands
all need the same picture of the platform (which processes exist, their ports, databases
and the topics they consume). It is derived here from ``devstack.SERVICES`` and the topic
catalog, never written out by hand twice.
"""
