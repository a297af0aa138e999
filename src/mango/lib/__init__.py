"""Framework-free domain logic. Nothing under ``mango.lib`` imports Django."""
