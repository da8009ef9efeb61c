"""Run the identity service: ``python -m identity``."""

from lienthong.service import run_service

from identity.bootstrap import create_app
from identity.config import IdentitySettings

if __name__ == "__main__":
    run_service(IdentitySettings, create_app)
