"""Run the orchestrator service: ``python -m orchestrator``."""

from lienthong.service import run_service
from orchestrator.bootstrap import create_app
from orchestrator.config import OrchestratorSettings

if __name__ == "__main__":
    run_service(OrchestratorSettings, create_app)
