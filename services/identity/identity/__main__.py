"""Run the identity service: ``python -m identity``."""

from identity.bootstrap import create_app
from identity.config import IdentitySettings
from lienthong.service import run_service

if __name__ == "__main__":
    run_service(IdentitySettings, create_app)
