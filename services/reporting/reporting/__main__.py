"""Run the reporting service: ``python -m reporting``."""

from lienthong.service import run_service
from reporting.bootstrap import create_app
from reporting.config import ReportingSettings

if __name__ == "__main__":
    run_service(ReportingSettings, create_app)
