"""Run the reference residence system: ``python -m residence``."""

from lienthong.service import run_service
from residence.bootstrap import create_app
from residence.config import ResidenceSettings

if __name__ == "__main__":
    run_service(ResidenceSettings, create_app)
