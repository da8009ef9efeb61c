"""Run the reference population registry: ``python -m population_registry``."""

from lienthong.service import run_service
from population_registry.bootstrap import create_app
from population_registry.config import PopulationRegistrySettings

if __name__ == "__main__":
    run_service(PopulationRegistrySettings, create_app)
