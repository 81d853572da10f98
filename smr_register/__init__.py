"""smr-register: administration of the Dutch Kwaliteitsregister Stoppen met Roken."""

__version__ = "0.1.0"
