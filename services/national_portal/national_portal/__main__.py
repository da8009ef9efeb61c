"""Run the reference national public service portal: ``python -m national_portal``."""

from lienthong.service import run_service
from national_portal.bootstrap import create_app
from national_portal.config import NationalPortalSettings

if __name__ == "__main__":
    run_service(NationalPortalSettings, create_app)
