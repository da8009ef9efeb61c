"""Run the intake service: ``python -m intake``."""

from intake.bootstrap import create_app
from intake.config import IntakeSettings
from lienthong.service import run_service

if __name__ == "__main__":
    run_service(IntakeSettings, create_app)
