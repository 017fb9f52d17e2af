"""bumpwise: safe, balanced, stage-aware exercise for pregnancy and after birth."""

__version__ = "0.1.0"
__all__ = ["__version__"]
