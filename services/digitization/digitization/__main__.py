"""Run the digitization service: ``python -m digitization``."""

from lienthong.service import run_service

from digitization.bootstrap import create_app
from digitization.config import DigitizationSettings

if __name__ == "__main__":
    run_service(DigitizationSettings, create_app)
