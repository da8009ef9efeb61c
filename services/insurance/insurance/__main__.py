"""Run the reference insurance system: ``python -m insurance``."""

from insurance.bootstrap import create_app
from insurance.config import InsuranceSettings
from lienthong.service import run_service

if __name__ == "__main__":
    run_service(InsuranceSettings, create_app)
