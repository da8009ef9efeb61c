"""Run the reference welfare system: ``python -m welfare``."""

from lienthong.service import run_service
from welfare.bootstrap import create_app
from welfare.config import WelfareSettings

if __name__ == "__main__":
    run_service(WelfareSettings, create_app)
