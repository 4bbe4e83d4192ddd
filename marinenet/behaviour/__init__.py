"""What particles do besides drifting: settings, species profiles (kernels live with the engines)."""

from .config import BehaviourConfig, SettleIn, available_profiles

__all__ = ["BehaviourConfig", "SettleIn", "available_profiles"]
