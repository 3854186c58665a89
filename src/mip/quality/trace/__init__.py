"""Quality: trace."""
