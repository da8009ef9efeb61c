"""Run the reference civil registry: ``python -m civil_registry``."""

from civil_registry.bootstrap import create_app
from civil_registry.config import CivilRegistrySettings
from lienthong.service import run_service

if __name__ == "__main__":
    run_service(CivilRegistrySettings, create_app)
