"""Quality: inspection."""
