"""Run the digitization service: ``python -m digitization``."""

from digitization.bootstrap import create_app
from digitization.config import DigitizationSettings
from lienthong.service import run_service

if __name__ == "__main__":
    run_service(DigitizationSettings, create_app)
